//! The parts of a Users API user object the table needs, read with serde: the id, the status
//! and the profile's keys in order, each value as its cell's text.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A user object: only what the table needs.
pub(super) struct RawUser {
    pub(super) id: Option<String>,
    pub(super) status: Option<String>,
    pub(super) profile: Option<Vec<(String, String)>>,
}

impl<'de> de::Deserialize<'de> for RawUser {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawUser, D::Error> {
        d.deserialize_map(UserVisitor)
    }
}

struct UserVisitor;

impl<'de> Visitor<'de> for UserVisitor {
    type Value = RawUser;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a user object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawUser, A::Error> {
        let mut user = RawUser {
            id: None,
            status: None,
            profile: None,
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "id" => user.id = Some(map.next_value::<String>()?),
                "status" => user.status = Some(map.next_value::<String>()?),
                "profile" => user.profile = Some(map.next_value::<Profile>()?.0),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(user)
    }
}

/// A profile: its keys in order, each value as its cell's text.
struct Profile(Vec<(String, String)>);

impl<'de> de::Deserialize<'de> for Profile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Profile, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Profile;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a profile object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Profile, A::Error> {
                let mut pairs = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value_seed(Cell { top: true })?;
                    pairs.push((key, value));
                }
                Ok(Profile(pairs))
            }
        }
        d.deserialize_map(V)
    }
}

/// A profile value as its cell's text: at the top a string as it is and null as nothing;
/// inside arrays and objects (and numbers and booleans anywhere) compact JSON, keys in the
/// input's order.
#[derive(Clone, Copy)]
struct Cell {
    top: bool,
}

impl<'de> DeserializeSeed<'de> for Cell {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Cell {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok(if self.top {
            String::new()
        } else {
            "null".to_owned()
        })
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        serde_json::to_string(&v).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        match self.top {
            true => Ok(v.to_owned()),
            false => serde_json::to_string(v).map_err(E::custom),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<String, A::Error> {
        let mut out = String::from("[");
        let inner = Cell { top: false };
        while let Some(item) = seq.next_element_seed(inner)? {
            if out.len() > 1 {
                out.push(',');
            }
            out.push_str(&item);
        }
        out.push(']');
        Ok(out)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
        let mut out = String::from("{");
        let inner = Cell { top: false };
        while let Some(key) = map.next_key::<String>()? {
            if out.len() > 1 {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(&key).map_err(de::Error::custom)?);
            out.push(':');
            out.push_str(&map.next_value_seed(inner)?);
        }
        out.push('}');
        Ok(out)
    }
}
