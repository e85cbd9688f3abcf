//! Numbers in JSON rounded to a fixed precision, so every report prints `0.98` and not `0.9800000000000001`:
//! article scores, the evaluation report and cross-validation results all go through here.

use crate::error::Result;
use serde::Serialize;
use serde_json::Value;

/// Decimals kept in JSON output.
pub const DECIMALS: i32 = 4;

/// `value` rounded to [`DECIMALS`] decimals.
pub fn round(value: f64) -> f64 {
    let scale = 10f64.powi(DECIMALS);
    (value * scale).round() / scale
}

/// `value` as JSON with every fractional number rounded to [`DECIMALS`] decimals (integers are kept as they
/// are).
pub fn to_rounded_value<T: Serialize>(value: &T) -> Result<Value> {
    let mut value = serde_json::to_value(value)?;
    round_numbers(&mut value);
    Ok(value)
}

/// `value` as pretty-printed JSON with every fractional number rounded to [`DECIMALS`] decimals.
pub fn to_rounded_json<T: Serialize>(value: &T) -> Result<String> {
    Ok(serde_json::to_string_pretty(&to_rounded_value(value)?)?)
}

fn round_numbers(value: &mut Value) {
    match value {
        Value::Number(number) if number.is_f64() => {
            if let Some(rounded) = number
                .as_f64()
                .and_then(|n| serde_json::Number::from_f64(round(n)))
            {
                *number = rounded;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(round_numbers),
        Value::Object(fields) => fields.values_mut().for_each(round_numbers),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_are_rounded_and_integers_kept() {
        let value = serde_json::json!({
            "accuracy": 0.9800000000000001,
            "f1": [0.123456, 1.0, 0.0],
            "count": 48,
            "nested": {"pk": 0.33333333333333337, "name": "all"}
        });
        let json = to_rounded_json(&value).unwrap();
        assert!(json.contains("\"accuracy\": 0.98,"), "{json}");
        assert!(json.contains("0.1235"), "{json}");
        assert!(json.contains("\"count\": 48"), "{json}");
        assert!(json.contains("\"pk\": 0.3333"), "{json}");
        assert!(!json.contains("0000000"), "{json}");
    }
}
