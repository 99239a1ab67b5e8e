//! Secrets: password hashes (Argon2id) and random tokens (sessions, CSRF).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};

/// Hashes a password with Argon2id and the crate's default parameters (m = 19 MiB,
/// t = 2, p = 1: the OWASP Password Storage Cheat Sheet minimum). Slow on purpose:
/// call it from `spawn_blocking` in async code (see [`hash_password_async`]).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

/// Whether `password` matches the stored PHC string. A malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

pub async fn hash_password_async(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_password(&password)).await?
}

pub async fn verify_password_async(password: String, phc: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &phc))
        .await
        .unwrap_or(false)
}

/// A hash of a password nobody knows, verified when a login names no account, so that
/// answering "no such user" takes as long as "wrong password" (no account enumeration
/// by timing).
pub static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password(&random_token()).unwrap_or_default());

/// 256 random bits, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0_u8; 32];
    // getrandom fails only when the OS has no entropy source at all; a zeroed token
    // would be guessable, so stop rather than continue.
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut bytes).expect("the operating system provides no randomness");
    hex::encode(bytes)
}

/// What the database stores instead of a session token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0_u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A readable random password for new accounts and the demo (no look-alike characters).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0_u8; 16];
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut bytes).expect("the operating system provides no randomness");
    let chars: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    format!(
        "{}-{}-{}-{}",
        &chars[0..4],
        &chars[4..8],
        &chars[8..12],
        &chars[12..16]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_and_verifies() {
        let hash = hash_password("Zażółć gęślą jaźń 2026").unwrap_or_default();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("Zażółć gęślą jaźń 2026", &hash));
        assert!(!verify_password("zażółć gęślą jaźń 2026", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_comparable() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &b));
        assert!(!constant_time_eq("abc", "abcd"));
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn generated_passwords_are_long() {
        let p = generate_password();
        assert_eq!(p.len(), 19);
        assert_ne!(p, generate_password());
    }
}
