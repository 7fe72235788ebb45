//! Domain of the にも包括 training and certification platform.
//!
//! The modules at the top compile for the browser too (types, pure rules);
//! everything that touches storage, keys or images lives in `service` and
//! `store`, behind the `server` feature, so none of it reaches the WASM
//! bundle.

/// A word stored in the database or sent by a form that names no variant.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a known value")]
pub struct UnknownWord(pub String);

/// An enum whose values are stored (or sent) as fixed words: declares it
/// with `ALL`, `as_str`, `Display` and `FromStr`, where a word that names
/// no variant is an [`UnknownWord`] error, never a default.
macro_rules! stored_words {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident => $word:literal,)+
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [Self; [$(stringify!($variant)),+].len()] = [$(Self::$variant),+];

            /// The stored word.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $word,)+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::UnknownWord;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::ALL.into_iter().find(|v| v.as_str() == text).ok_or_else(|| $crate::UnknownWord(text.to_owned()))
            }
        }
    };
}

pub mod certificate;
pub mod jurisdiction;
pub mod programme;
pub mod roles;
pub mod safety;
pub mod text;
pub mod view;
pub mod wareki;

#[cfg(feature = "server")]
pub mod service;
#[cfg(feature = "server")]
pub mod store;
