//! The office's RSA key pair and the HTTP Signatures made and checked with it
//! (RSASSA-PKCS1-v1_5 with SHA-256: `rsa-sha256` of draft-cavage-http-signatures, as
//! Mastodon signs). Keys travel as PEM: the public key as SPKI (`BEGIN PUBLIC KEY`, the
//! actor document's `publicKeyPem`), the private key as PKCS#8, stored in the database
//! and never served.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use rsa::sha2::{Digest, Sha256};
use rsa::{PrivateKey, PublicKey};

/// The size of the office's key: 2048 bits, as Mastodon's own actors have.
pub const KEY_BITS: usize = 2048;

/// Remote keys smaller than this are refused.
pub const MIN_REMOTE_BITS: usize = 2048;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the system's random source failed")]
    Random,
    #[error("RSA: {0}")]
    Rsa(#[from] rsa::Error),
    #[error("the key cannot be read: {0}")]
    Decode(String),
    #[error("the key is too small")]
    TooSmall,
    #[error("the signature is not valid base64")]
    Base64,
    #[error("the signature does not verify")]
    Invalid,
}

/// The operating system's random numbers (getrandom, already the tree's source) for
/// key generation and blinding.
struct OsRandom;

#[derive(Debug)]
struct RandomError;

impl std::fmt::Display for RandomError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("random source failed")
    }
}

impl std::error::Error for RandomError {}

impl rsa::rand_core::TryRng for OsRandom {
    type Error = RandomError;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        getrandom::u32().map_err(|_| RandomError)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        getrandom::u64().map_err(|_| RandomError)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        getrandom::fill(dst).map_err(|_| RandomError)
    }
}

impl rsa::rand_core::TryCryptoRng for OsRandom {}

/// A new key pair as (public SPKI PEM, private PKCS#8 PEM). Slow (a second or more):
/// call it off the async threads.
pub fn generate() -> Result<(String, String), KeyError> {
    let key = PrivateKey::new(&mut OsRandom, KEY_BITS)?;
    let public = key
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| KeyError::Decode(e.to_string()))?;
    let private = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| KeyError::Decode(e.to_string()))?;
    Ok((public, private.to_string()))
}

/// The office's private key, read from its PEM.
pub struct SigningKey(PrivateKey);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(…)")
    }
}

impl SigningKey {
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        PrivateKey::from_pkcs8_pem(pem)
            .map(Self)
            .map_err(|e| KeyError::Decode(e.to_string()))
    }

    /// The signature of `message`, base64, with RSA blinding.
    pub fn sign(&self, message: &[u8]) -> Result<String, KeyError> {
        let signature = self
            .0
            .pkcs1v15_sign_with_rng::<Sha256, _>(&mut OsRandom, message)?;
        Ok(BASE64.encode(signature))
    }
}

/// Checks a base64 `signature` of `message` under the SPKI PEM `public_pem`.
pub fn verify(public_pem: &str, message: &[u8], signature: &str) -> Result<(), KeyError> {
    let key = read_public(public_pem)?;
    let signature = BASE64
        .decode(signature.trim())
        .map_err(|_| KeyError::Base64)?;
    key.pkcs1v15_verify::<Sha256>(message, &signature)
        .map_err(|_| KeyError::Invalid)
}

/// Reads a remote actor's public key: SPKI PEM (`BEGIN PUBLIC KEY`), or PKCS#1
/// (`BEGIN RSA PUBLIC KEY`, which some servers publish); at least 2048 bits.
pub fn read_public(pem: &str) -> Result<PublicKey, KeyError> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    let key = PublicKey::from_public_key_pem(pem.trim())
        .or_else(|_| PublicKey::from_pkcs1_pem(pem.trim()))
        .map_err(|e| KeyError::Decode(e.to_string()))?;
    if rsa::traits::PublicKeyParts::size(&key) * 8 < MIN_REMOTE_BITS {
        return Err(KeyError::TooSmall);
    }
    Ok(key)
}

/// The SHA-256 of `body`, base64: what the `Digest` header carries.
pub fn sha256_base64(body: &[u8]) -> String {
    BASE64.encode(Sha256::digest(body))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_signs_and_verifies() {
        let (public, private) = generate().unwrap();
        assert!(public.starts_with("-----BEGIN PUBLIC KEY-----"));
        assert!(private.starts_with("-----BEGIN PRIVATE KEY-----"));
        let key = SigningKey::from_pem(&private).unwrap();
        let signature = key.sign(b"date: Fri, 04 Dec 2026 15:00:00 GMT").unwrap();
        verify(&public, b"date: Fri, 04 Dec 2026 15:00:00 GMT", &signature).unwrap();
        assert!(matches!(
            verify(&public, b"date: Fri, 04 Dec 2026 15:00:01 GMT", &signature),
            Err(KeyError::Invalid)
        ));
        assert!(matches!(
            verify(&public, b"x", "not base64!"),
            Err(KeyError::Base64)
        ));
        assert!(read_public("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----").is_err());
        assert_eq!(
            sha256_base64(b"{\"hello\": \"world\"}"),
            "X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="
        );
    }
}
