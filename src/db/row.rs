//! Rows become types at the boundary: a text column that names one of a closed set
//! (a status, a kind of case, a channel) is decoded into its enum when the row is read,
//! and an unknown stored value is an error, never a silent default.
//!
//! Row structs say so with `#[sqlx(try_from = "String")]` on the field; rows read as
//! tuples go through [`column`].

/// `value` read from column `name` as a `T`, or the decode error sqlx itself gives for a
/// column it cannot read.
pub fn column<T>(name: &str, value: String) -> Result<T, sqlx::Error>
where
    T: TryFrom<String>,
    T::Error: std::error::Error + Send + Sync + 'static,
{
    T::try_from(value).map_err(|e| sqlx::Error::ColumnDecode {
        index: name.to_owned(),
        source: Box::new(e),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::platform::Channel;

    #[test]
    fn an_unknown_value_is_a_decode_error_naming_the_column() {
        assert_eq!(
            column::<Channel>("channel", "post".to_owned()).unwrap(),
            Channel::Post
        );
        let error = column::<Channel>("channel", "paper".to_owned()).unwrap_err();
        assert!(
            matches!(&error, sqlx::Error::ColumnDecode { index, .. } if index == "channel"),
            "{error}"
        );
    }
}
