//! The sealed ballot box of an option vote: its key pair, the scrutineers' two codes, and
//! the sealing and opening of ballots. No cryptography is written here: ballots are libsodium
//! sealed boxes (`crypto_box`: X25519 + XSalsa20-Poly1305), the box's secret key is kept
//! under XChaCha20-Poly1305 (`chacha20poly1305`) with a key derived from both scrutineers'
//! codes by Argon2id (`argon2`). This module only chooses the parameters and the formats.
//!
//! # The scrutineers' codes
//!
//! When the vote opens the server makes a key pair and two codes, one for each scrutineer
//! (监票人). The secret key is stored only sealed under a key derived from *both* codes, so
//! neither scrutineer alone, nor the committee, nor whoever holds the database file can open
//! the box. The codes are shown once and never stored.
//!
//! A code is 24 digits in six groups of four, `4821 9037 …`: easy to print, read aloud and
//! type on a phone. The fourth digit of each group is a check digit of the other three (Damm's
//! algorithm, which catches every single-digit slip and every swap of neighbours), so a typo
//! is named by its group instead of failing as a wrong code. That leaves 18 random digits
//! (≈ 60 bits) per code, ≈ 120 bits for the pair, each guess costing an Argon2id run of
//! 64 MiB: the box cannot be opened by guessing, even by someone holding one code.
//!
//! The two codes may be typed in either order.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use crypto_box::aead::OsRng;
use crypto_box::{PublicKey, SecretKey};
use zeroize::Zeroizing;

use crate::util::{random_bytes, sha256};

/// Digits in a code (six groups of four).
pub(crate) const CODE_DIGITS: usize = 24;
const GROUP: usize = 4;

/// Argon2id cost for the box key: 64 MiB, 3 passes, one lane (run once per count).
const KDF_M_KIB: u32 = 64 * 1024;
const KDF_T: u32 = 3;
const KDF_P: u32 = 1;

/// What the database keeps of a sealed box.
#[derive(Debug, Clone)]
pub(crate) struct StoredBox {
    /// The box's public key (ballots are sealed to it).
    pub public_key: [u8; 32],
    /// Nonce ‖ XChaCha20-Poly1305 ciphertext of the secret key.
    pub sealed_key: Vec<u8>,
    /// `argon2id$v=19$m=…,t=…,p=…$<salt hex>`.
    pub kdf: String,
}

/// A new box: what to store, and the two codes to show once.
pub(crate) fn new_box(consultation: i64) -> Result<(StoredBox, [String; 2]), SealError> {
    let secret = SecretKey::generate(&mut OsRng);
    let public_key = secret.public_key().to_bytes();
    let codes = [new_code(), new_code()];
    let salt = random_bytes::<16>();
    let kdf = format!(
        "argon2id$v=19$m={KDF_M_KIB},t={KDF_T},p={KDF_P}${}",
        hex::encode(salt)
    );
    // The key is derived from the digits, as the count reads them back with `parse_code`.
    let digits = |c: &str| parse_code(c).map_err(|_| SealError::Crypto);
    let kek = derive(&kdf, &digits(&codes[0])?, &digits(&codes[1])?)?;
    let nonce = random_bytes::<24>();
    let cipher = XChaCha20Poly1305::new(kek.as_slice().into());
    let secret_bytes = Zeroizing::new(secret.to_bytes());
    let ct = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: secret_bytes.as_slice(),
                aad: &aad(consultation, &public_key),
            },
        )
        .map_err(|_| SealError::Crypto)?;
    let mut sealed_key = nonce.to_vec();
    sealed_key.extend_from_slice(&ct);
    Ok((
        StoredBox {
            public_key,
            sealed_key,
            kdf,
        },
        codes,
    ))
}

/// Opens the box's secret key with the two codes (already checked by [`parse_code`]), in
/// either order. This runs Argon2id: call it off the async threads.
pub(crate) fn open_key(
    consultation: i64,
    stored: &StoredBox,
    a: &str,
    b: &str,
) -> Result<SecretKey, SealError> {
    let kek = derive(&stored.kdf, a, b)?;
    if stored.sealed_key.len() < 24 {
        return Err(SealError::Crypto);
    }
    let (nonce, ct) = stored.sealed_key.split_at(24);
    let cipher = XChaCha20Poly1305::new(kek.as_slice().into());
    let plain = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: &aad(consultation, &stored.public_key),
                },
            )
            .map_err(|_| SealError::WrongCodes)?,
    );
    let bytes: [u8; 32] = plain.as_slice().try_into().map_err(|_| SealError::Crypto)?;
    let secret = SecretKey::from_bytes(bytes);
    if secret.public_key().to_bytes() != stored.public_key {
        return Err(SealError::Crypto);
    }
    Ok(secret)
}

/// A ballot is padded to a multiple of this many bytes before it is sealed. Sealing hides
/// the bytes but not their number, and a ballot's JSON is as long as its choice makes it (an
/// approval of one option is shorter than of four): padded, every envelope of a vote has the
/// same length. The largest ballot (a ranking or scores of 26 options) is under 200 bytes.
const PADDED_LEN: usize = 512;

/// Seals a ballot (its JSON) to the box's public key (a fresh ephemeral key per ballot, so
/// two equal ballots give unrelated bytes), padded with spaces to [`PADDED_LEN`].
pub(crate) fn seal(public_key: &[u8; 32], ballot: &[u8]) -> Result<Vec<u8>, SealError> {
    let len = ballot.len().div_ceil(PADDED_LEN).max(1) * PADDED_LEN;
    let mut padded = Zeroizing::new(Vec::with_capacity(len));
    padded.extend_from_slice(ballot);
    padded.resize(len, b' ');
    PublicKey::from_bytes(*public_key)
        .seal(&mut OsRng, &padded)
        .map_err(|_| SealError::Crypto)
}

/// Opens a sealed ballot: its JSON, without the padding (envelopes sealed before padding
/// open the same way).
pub(crate) fn unseal(secret: &SecretKey, sealed: &[u8]) -> Result<Vec<u8>, SealError> {
    let mut plain = secret.unseal(sealed).map_err(|_| SealError::Crypto)?;
    let end = plain.iter().rposition(|&b| b != b' ').map_or(0, |i| i + 1);
    plain.truncate(end);
    Ok(plain)
}

/// The voter's receipt code for a sealed ballot: the first 50 bits of its SHA-256, as ten
/// characters of base32 in two groups (`k7m2q-x9d4a`). It names the sealed envelope, not
/// what is inside: the published list of counted receipts says nothing of any choice.
pub(crate) fn receipt(sealed: &[u8]) -> String {
    let digest = sha256(sealed);
    let code = crate::util::base32(&digest[..7]);
    format!("{}-{}", &code[..5], &code[5..10])
}

/// What went wrong with the box.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum SealError {
    /// The codes do not open the box.
    #[error("these two codes do not open the ballot box")]
    WrongCodes,
    /// Stored key material or a sealed ballot does not open: the data was changed.
    #[error("the ballot box's data does not open (changed or damaged)")]
    Crypto,
    /// The stored KDF parameters are not ours.
    #[error("unknown key derivation {0:?}")]
    Kdf(String),
}

/// A code typed by a scrutineer, checked.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CodeError {
    /// Not 24 digits.
    Length(usize),
    /// A group whose check digit does not match (1-based).
    Group(usize),
}

/// Checks a typed code (spaces and dashes ignored, full-width digits accepted) and returns
/// its 24 digits.
pub(crate) fn parse_code(s: &str) -> Result<String, CodeError> {
    let digits: String = s
        .chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            // Full-width digits from a Chinese input method.
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            _ => None,
        })
        .collect();
    let other = s.chars().any(|c| {
        !(c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || c.is_whitespace()
            || c == '-'
            || c == '－')
    });
    if digits.len() != CODE_DIGITS || other {
        return Err(CodeError::Length(digits.len()));
    }
    for (g, chunk) in digits.as_bytes().chunks(GROUP).enumerate() {
        let body: Vec<u8> = chunk[..GROUP - 1].iter().map(|d| d - b'0').collect();
        if damm(&body) != chunk[GROUP - 1] - b'0' {
            return Err(CodeError::Group(g + 1));
        }
    }
    Ok(digits)
}

/// A new code: six groups of three random digits and a check digit, `dddd dddd …`.
fn new_code() -> String {
    let mut groups = Vec::with_capacity(CODE_DIGITS / GROUP);
    for _ in 0..CODE_DIGITS / GROUP {
        let body: Vec<u8> = (0..GROUP - 1).map(|_| random_digit()).collect();
        let check = damm(&body);
        groups.push(
            body.iter()
                .chain(std::iter::once(&check))
                .map(|d| char::from(b'0' + d))
                .collect::<String>(),
        );
    }
    groups.join(" ")
}

/// A uniformly random decimal digit (rejection sampling, no modulo bias).
fn random_digit() -> u8 {
    loop {
        let b = random_bytes::<1>()[0];
        if b < 250 {
            return b % 10;
        }
    }
}

/// Damm's check digit (a totally anti-symmetric quasigroup of order 10): a typo checksum,
/// not cryptography.
fn damm(digits: &[u8]) -> u8 {
    const T: [[u8; 10]; 10] = [
        [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
        [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
        [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
        [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
        [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
        [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
        [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
        [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
        [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
        [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
    ];
    digits
        .iter()
        .fold(0u8, |interim, &d| T[usize::from(interim)][usize::from(d)])
}

/// The box key from both codes (sorted, so their order does not matter).
fn derive(kdf: &str, a: &str, b: &str) -> Result<Zeroizing<[u8; 32]>, SealError> {
    let bad = || SealError::Kdf(kdf.to_owned());
    let rest = kdf.strip_prefix("argon2id$v=19$").ok_or_else(bad)?;
    let (params, salt) = rest.split_once('$').ok_or_else(bad)?;
    let mut m = None;
    let mut t = None;
    let mut p = None;
    for kv in params.split(',') {
        let (k, v) = kv.split_once('=').ok_or_else(bad)?;
        let v: u32 = v.parse().map_err(|_| bad())?;
        match k {
            "m" => m = Some(v),
            "t" => t = Some(v),
            "p" => p = Some(v),
            _ => return Err(bad()),
        }
    }
    let (Some(m), Some(t), Some(p)) = (m, t, p) else {
        return Err(bad());
    };
    let salt = hex::decode(salt).map_err(|_| bad())?;
    let params = Params::new(m, t, p, Some(32)).map_err(|_| bad())?;
    let (first, second) = if a <= b { (a, b) } else { (b, a) };
    // Length-prefixed, so ("12", "345") and ("123", "45") differ.
    let mut input = Zeroizing::new(Vec::with_capacity(first.len() + second.len() + 16));
    for code in [first, second] {
        input.extend_from_slice(&(code.len() as u64).to_le_bytes());
        input.extend_from_slice(code.as_bytes());
    }
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(&input, &salt, out.as_mut_slice())
        .map_err(|_| bad())?;
    Ok(out)
}

/// Binds the sealed key to its consultation and public key.
fn aad(consultation: i64, public_key: &[u8; 32]) -> Vec<u8> {
    let mut v = b"plotwise ballot box v1\0".to_vec();
    v.extend_from_slice(&consultation.to_le_bytes());
    v.extend_from_slice(public_key);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damm_matches_the_published_example() {
        // Damm (2004): the check digit of 572 is 4, and 5724 checks to 0.
        assert_eq!(damm(&[5, 7, 2]), 4);
        assert_eq!(damm(&[5, 7, 2, 4]), 0);
    }

    #[test]
    fn codes_check_their_groups_and_ignore_spacing_and_width() {
        let code = new_code();
        assert_eq!(code.len(), 24 + 5);
        let digits = parse_code(&code).unwrap();
        assert_eq!(digits.len(), 24);
        let wide: String = code
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
                ' ' => '-',
                c => c,
            })
            .collect();
        assert_eq!(parse_code(&wide).unwrap(), digits);
        // One wrong digit in group 3 is named.
        let mut b = digits.clone().into_bytes();
        b[9] = if b[9] == b'9' { b'0' } else { b[9] + 1 };
        assert_eq!(
            parse_code(std::str::from_utf8(&b).unwrap()),
            Err(CodeError::Group(3))
        );
        // Swapped neighbours too.
        let mut b = digits.clone().into_bytes();
        if b[0] != b[1] {
            b.swap(0, 1);
            assert_eq!(
                parse_code(std::str::from_utf8(&b).unwrap()),
                Err(CodeError::Group(1))
            );
        }
        assert_eq!(parse_code("1234"), Err(CodeError::Length(4)));
        assert!(matches!(
            parse_code(&format!("{code}x")),
            Err(CodeError::Length(_))
        ));
    }

    #[test]
    fn both_codes_open_the_box_in_either_order_and_one_alone_does_not() {
        let (stored, [a, b]) = new_box(7).unwrap();
        let (a, b) = (parse_code(&a).unwrap(), parse_code(&b).unwrap());
        let sealed = seal(&stored.public_key, b"{\"kind\":\"approval\"}").unwrap();
        let key = open_key(7, &stored, &a, &b).unwrap();
        assert_eq!(unseal(&key, &sealed).unwrap(), b"{\"kind\":\"approval\"}");
        let key = open_key(7, &stored, &b, &a).unwrap();
        assert_eq!(unseal(&key, &sealed).unwrap(), b"{\"kind\":\"approval\"}");
        assert_eq!(
            open_key(7, &stored, &a, &a).err(),
            Some(SealError::WrongCodes)
        );
        // The key is bound to its consultation.
        assert_eq!(
            open_key(8, &stored, &a, &b).err(),
            Some(SealError::WrongCodes)
        );
        // Two seals of the same ballot differ; each has its own receipt.
        let again = seal(&stored.public_key, b"{\"kind\":\"approval\"}").unwrap();
        assert_ne!(sealed, again);
        assert_ne!(receipt(&sealed), receipt(&again));
        // A long ballot's envelope is as long as a short one's.
        let long = seal(&stored.public_key, &[b'1'; 300]).unwrap();
        assert_eq!(long.len(), sealed.len());
        assert_eq!(unseal(&key, &long).unwrap(), [b'1'; 300]);
    }
}
