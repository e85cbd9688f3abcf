//! Training a [`Head`] from labelled article vectors: multinomial logistic regression, or label prototypes.

use super::{Example, Head, TrainingInfo, ZeroShotBase, HEAD_FORMAT};
use crate::embed::normalized_mean;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How the head's weights are learnt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum HeadMethod {
    /// Each label's weights are the normalised mean of its examples: a label's logit is the article's cosine to
    /// it (averaged with the zero-shot similarity when there is a base) over the temperature. Closed form, no
    /// settings to tune; best with tens of examples.
    #[default]
    Prototypes,
    /// Multinomial logistic regression with an L2 penalty, by full-batch accelerated gradient descent; with a
    /// base, the weight of the zero-shot similarities is learnt too. Better with hundreds of examples.
    Logistic,
}

/// Settings of the training method; recorded in the head file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitOptions {
    /// The method.
    pub method: HeadMethod,
    /// Logistic regression: strength of the L2 penalty on the weights (not the biases).
    pub l2: f64,
    /// Logistic regression: gradient steps.
    pub iterations: usize,
    /// Prototypes: softmax temperature over cosine similarities (only shapes the scores, not the label).
    pub temperature: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            method: HeadMethod::Prototypes,
            l2: 1e-3,
            iterations: 2000,
            temperature: 0.02,
        }
    }
}

/// Trains a head on `examples` (vectors from the embedding model with sha256 `model_sha256`), as a correction
/// to `base` when given. The labels are those of the examples, sorted; the same examples in the same order
/// always give the same head.
pub fn fit_head(
    examples: &[Example],
    options: &FitOptions,
    base: Option<&ZeroShotBase>,
    model_sha256: &str,
    sources: Vec<String>,
) -> Result<Head> {
    let Some(first) = examples.first() else {
        return Err(Error::Config("no training examples".to_string()));
    };
    let dimension = first.vector.len();
    if let Some(odd) = examples.iter().find(|e| e.vector.len() != dimension) {
        return Err(Error::Config(format!(
            "example {} has a {}-dimensional vector, the others {dimension}",
            odd.id,
            odd.vector.len()
        )));
    }
    let mut label_counts = BTreeMap::new();
    for example in examples {
        *label_counts.entry(example.label.clone()).or_insert(0) += 1;
    }
    let labels: Vec<String> = label_counts.keys().cloned().collect();
    let index: BTreeMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(i, label)| (label.as_str(), i))
        .collect();
    let targets: Vec<usize> = examples.iter().map(|e| index[e.label.as_str()]).collect();
    let (weights, bias, base_scale) = match options.method {
        HeadMethod::Logistic => {
            // The zero-shot similarities start at the weight the zero-shot classifier gives them.
            let initial_scale = base.map_or(0.0, |b| 1.0 / f64::from(b.labels().temperature));
            let similarities: Vec<Vec<f32>> = examples
                .iter()
                .map(|e| match base {
                    Some(base) => base.similarities(&labels, &e.vector),
                    None => vec![0.0; labels.len()],
                })
                .collect();
            logistic_regression(examples, &targets, &similarities, initial_scale, options)
        }
        HeadMethod::Prototypes => {
            // With a base, a label's similarity is the mean of its cosines to the prototype and to the closest
            // description.
            let temperature = if base.is_some() {
                2.0 * options.temperature
            } else {
                options.temperature
            };
            let weights = prototypes(examples, &targets, labels.len(), temperature);
            let scale = if base.is_some() {
                1.0 / temperature
            } else {
                0.0
            };
            (weights, vec![0.0; labels.len()], scale as f32)
        }
    };
    Ok(Head {
        format: HEAD_FORMAT,
        labels,
        model_sha256: model_sha256.to_string(),
        dimension,
        weights,
        bias,
        base: base.map(|b| b.labels().clone()),
        base_scale,
        training: TrainingInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            sources,
            label_counts,
            options: options.clone(),
        },
    })
}

/// Class centroids over the temperature.
fn prototypes(
    examples: &[Example],
    targets: &[usize],
    classes: usize,
    temperature: f64,
) -> Vec<Vec<f32>> {
    let dimension = examples[0].vector.len();
    (0..classes)
        .map(|class| {
            let members = examples
                .iter()
                .zip(targets)
                .filter(|(_, t)| **t == class)
                .map(|(e, _)| e.vector.as_slice());
            normalized_mean(members, dimension)
                .into_iter()
                .map(|w| (f64::from(w) / temperature) as f32)
                .collect()
        })
        .collect()
}

/// Minimises the mean cross-entropy of softmax(W x + b + a s) plus `l2 / 2 · |W|²`, where `s` holds the
/// example's zero-shot similarities (all 0 without a base) and the scale `a` starts at `initial_scale`, with
/// Nesterov's accelerated gradient, in f64 and in a fixed order, so the same examples always give the same
/// weights. Returns the weights, the biases and the scale.
///
/// The step is 1 / L for L = max (|x|² + 1 + |s|²) / 2 + l2, a bound on the gradient's Lipschitz constant (the
/// softmax cross-entropy Hessian in the logits is at most half the identity), so no line search is needed.
fn logistic_regression(
    examples: &[Example],
    targets: &[usize],
    similarities: &[Vec<f32>],
    initial_scale: f64,
    options: &FitOptions,
) -> (Vec<Vec<f32>>, Vec<f32>, f32) {
    let classes = similarities[0].len();
    let dimension = examples[0].vector.len();
    let inputs: Vec<Vec<f64>> = examples
        .iter()
        .map(|e| e.vector.iter().map(|&v| f64::from(v)).collect())
        .collect();
    let similarities: Vec<Vec<f64>> = similarities
        .iter()
        .map(|s| s.iter().map(|&v| f64::from(v)).collect())
        .collect();
    let squared = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>();
    let bound = inputs
        .iter()
        .zip(&similarities)
        .map(|(x, s)| squared(x) + 1.0 + squared(s))
        .fold(0.0, f64::max);
    let step = 1.0 / (bound / 2.0 + options.l2);
    // Parameters: one row per class of `dimension` weights followed by the bias, then the scale.
    let width = dimension + 1;
    let mut params = vec![0.0f64; classes * width + 1];
    params[classes * width] = initial_scale;
    let mut previous = params.clone();
    let mut gradient = vec![0.0f64; params.len()];
    for iteration in 0..options.iterations {
        let momentum = iteration as f64 / (iteration as f64 + 3.0);
        let lookahead: Vec<f64> = params
            .iter()
            .zip(&previous)
            .map(|(p, q)| p + momentum * (p - q))
            .collect();
        cross_entropy_gradient(
            &lookahead,
            &inputs,
            &similarities,
            targets,
            options.l2,
            &mut gradient,
        );
        previous = params;
        params = lookahead
            .iter()
            .zip(&gradient)
            .map(|(p, g)| p - step * g)
            .collect();
    }
    let rows = &params[..classes * width];
    let weights = rows
        .chunks(width)
        .map(|row| row[..dimension].iter().map(|&w| w as f32).collect())
        .collect();
    let bias = rows
        .chunks(width)
        .map(|row| row[dimension] as f32)
        .collect();
    (weights, bias, params[classes * width] as f32)
}

/// Gradient at `params` (class rows of weights and bias, then the similarity scale) of the mean cross-entropy
/// of softmax(W x + b + a s) plus `l2 / 2 · |W|²`, written into `gradient`.
fn cross_entropy_gradient(
    params: &[f64],
    inputs: &[Vec<f64>],
    similarities: &[Vec<f64>],
    targets: &[usize],
    l2: f64,
    gradient: &mut [f64],
) {
    let dimension = inputs[0].len();
    let width = dimension + 1;
    let classes = params.len() / width;
    let (rows, scale) = params.split_at(classes * width);
    let (row_gradient, scale_gradient) = gradient.split_at_mut(classes * width);
    row_gradient.iter_mut().for_each(|g| *g = 0.0);
    scale_gradient[0] = 0.0;
    let weight = 1.0 / inputs.len() as f64;
    let mut probabilities = vec![0.0f64; classes];
    for ((x, s), &target) in inputs.iter().zip(similarities).zip(targets) {
        for (class, row) in rows.chunks(width).enumerate() {
            probabilities[class] = row[..dimension]
                .iter()
                .zip(x)
                .map(|(w, v)| w * v)
                .sum::<f64>()
                + row[dimension]
                + scale[0] * s[class];
        }
        let top = probabilities
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        probabilities.iter_mut().for_each(|p| *p = (*p - top).exp());
        let total: f64 = probabilities.iter().sum();
        for (class, row) in row_gradient.chunks_mut(width).enumerate() {
            let error =
                (probabilities[class] / total - f64::from(u8::from(class == target))) * weight;
            row[..dimension]
                .iter_mut()
                .zip(x)
                .for_each(|(g, v)| *g += error * v);
            row[dimension] += error;
            scale_gradient[0] += error * s[class];
        }
    }
    for (g, p) in row_gradient.chunks_mut(width).zip(rows.chunks(width)) {
        g[..dimension]
            .iter_mut()
            .zip(&p[..dimension])
            .for_each(|(g, w)| *g += l2 * w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two clusters around orthogonal axes, with a little spread on a third.
    fn clusters() -> Vec<Example> {
        (0..12)
            .map(|i| {
                let spread = (i % 4) as f32 * 0.1;
                let (label, vector) = if i % 2 == 0 {
                    ("east", vec![1.0, spread, 0.2])
                } else {
                    ("north", vec![spread, 1.0, -0.2])
                };
                let mut vector = vector;
                crate::embed::normalize(&mut vector);
                Example {
                    id: format!("e{i:02}"),
                    label: label.to_string(),
                    also: Vec::new(),
                    vector,
                }
            })
            .collect()
    }

    #[test]
    fn both_methods_separate_separable_classes_with_confident_scores() {
        for method in [HeadMethod::Prototypes, HeadMethod::Logistic] {
            let options = FitOptions {
                method,
                ..FitOptions::default()
            };
            let head = fit_head(&clusters(), &options, None, "sha", vec![]).unwrap();
            assert_eq!(head.labels, ["east", "north"]);
            assert_eq!(head.training.label_counts["east"], 6);
            let east = head.predict(&[0.95, 0.3, 0.0], None);
            let north = head.predict(&[0.3, 0.95, 0.0], None);
            assert_eq!(
                (east.label.as_str(), north.label.as_str()),
                ("east", "north")
            );
            assert!(east.scores["east"] > 0.8, "{method:?}: {east:?}");
            assert!((north.scores.values().sum::<f32>() - 1.0).abs() < 1e-5);
        }
    }

    #[test]
    fn logistic_regression_lowers_the_training_loss_and_shrinks_with_the_penalty() {
        let examples = clusters();
        let fit = |l2: f64, iterations: usize| {
            let options = FitOptions {
                method: HeadMethod::Logistic,
                l2,
                iterations,
                ..FitOptions::default()
            };
            fit_head(&examples, &options, None, "sha", vec![]).unwrap()
        };
        let loss = |head: &Head| {
            examples
                .iter()
                .map(|e| -f64::from(head.predict(&e.vector, None).scores[&e.label]).ln())
                .sum::<f64>()
        };
        let norm = |head: &Head| head.weights.iter().flatten().map(|w| w * w).sum::<f32>();
        let (short, long) = (fit(1e-3, 10), fit(1e-3, 500));
        assert!(loss(&long) < loss(&short) && loss(&short) < loss(&fit(1e-3, 0)));
        assert!(norm(&fit(1.0, 500)) < norm(&long));
    }

    #[test]
    fn no_examples_or_mixed_dimensions_are_refused() {
        let options = FitOptions::default();
        assert!(fit_head(&[], &options, None, "sha", vec![]).is_err());
        let mut examples = clusters();
        examples[3].vector.push(0.0);
        let err = fit_head(&examples, &options, None, "sha", vec![]).unwrap_err();
        assert!(err.to_string().contains("e03"), "{err}");
    }
}
