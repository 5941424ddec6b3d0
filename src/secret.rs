//! The one type that holds a password in memory.

use std::fmt;
use zeroize::Zeroizing;

/// A password as raw bytes, exactly as received: no trimming, no normalisation, NUL bytes kept.
/// The bytes are wiped when the value is dropped, and `Debug` never shows them.
#[derive(Clone)]
pub struct Password(Zeroizing<Vec<u8>>);

impl Password {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The password as text for the strength estimator; invalid UTF-8 becomes U+FFFD.
    pub(crate) fn lossy_text(&self) -> Zeroizing<String> {
        Zeroizing::new(String::from_utf8_lossy(&self.0).into_owned())
    }

    /// Compares two passwords in constant time (for "retype to confirm").
    pub fn ct_eq(&self, other: &Password) -> bool {
        use subtle::ConstantTimeEq;
        self.0.len() == other.0.len() && bool::from(self.0.as_slice().ct_eq(other.0.as_slice()))
    }
}

impl From<&str> for Password {
    fn from(s: &str) -> Self {
        Self::new(s.as_bytes().to_vec())
    }
}

impl From<&[u8]> for Password {
    fn from(s: &[u8]) -> Self {
        Self::new(s.to_vec())
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password([redacted])")
    }
}
