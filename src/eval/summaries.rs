//! Summary scoring: the system's summaries and the Lead-3 baseline against the reference summaries, so a
//! summary score always comes with the score of the trivial "first three sentences" answer beside it.

use super::rouge::{mean_scores, rouge, RougeScores};

/// The Lead-3 baseline: the first three sentences of an article (fewer if it has fewer), one per line so
/// that ROUGE-Lsum sees them as sentences.
pub fn lead3(sentences: &[String]) -> String {
    sentences
        .iter()
        .map(|sentence| sentence.trim())
        .filter(|sentence| !sentence.is_empty())
        .take(3)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Puts each sentence on its own line (the form ROUGE-Lsum reads), whatever line breaks the text had.
pub fn one_sentence_per_line(sentences: &[String]) -> String {
    sentences
        .iter()
        .map(|sentence| sentence.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|sentence| !sentence.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// One article's summaries, each with one sentence per line.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryCase {
    /// The reference summary.
    pub reference: String,
    /// The system's summary (empty when the system wrote none, which scores 0).
    pub system: String,
    /// The Lead-3 baseline of the same article (empty when no article text was available).
    pub lead3: String,
}

/// Mean ROUGE of the system and of Lead-3 over the same articles.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct SummaryReport {
    /// Aligned articles with a reference summary, the articles both means are taken over.
    pub count: usize,
    /// Mean ROUGE of the system summaries.
    pub system: RougeScores,
    /// Mean ROUGE of the Lead-3 baseline.
    pub lead3: RougeScores,
}

impl SummaryReport {
    /// Scores every case's system summary and Lead-3 against its reference and averages per article.
    pub fn from_cases(cases: &[SummaryCase]) -> Self {
        let system: Vec<RougeScores> = cases
            .iter()
            .map(|c| rouge(&c.reference, &c.system))
            .collect();
        let lead3: Vec<RougeScores> = cases
            .iter()
            .map(|c| rouge(&c.reference, &c.lead3))
            .collect();
        SummaryReport {
            count: cases.len(),
            system: mean_scores(&system),
            lead3: mean_scores(&lead3),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lead3_keeps_the_first_three_sentences_one_per_line() {
        let sentences = strings(&["One.", " ", "Two.", "Three.", "Four."]);
        assert_eq!(lead3(&sentences), "One.\nTwo.\nThree.");
        assert_eq!(lead3(&strings(&["Only one."])), "Only one.");
    }

    #[test]
    fn sentences_are_unwrapped_onto_single_lines() {
        let sentences = strings(&["Rain fell\nall night.", "Rivers rose."]);
        assert_eq!(
            one_sentence_per_line(&sentences),
            "Rain fell all night.\nRivers rose."
        );
    }

    #[test]
    fn system_and_lead3_are_averaged_over_the_same_cases() {
        let cases = [
            SummaryCase {
                reference: "rain fell".to_string(),
                system: "rain fell".to_string(),
                lead3: "snow fell".to_string(),
            },
            SummaryCase {
                reference: "rivers rose".to_string(),
                system: String::new(),
                lead3: "rivers rose".to_string(),
            },
        ];
        let report = SummaryReport::from_cases(&cases);
        assert_eq!(report.count, 2);
        assert_eq!(report.system.rouge1.f, 0.5);
        assert_eq!(report.lead3.rouge1.f, 0.75);
        assert_eq!(report.lead3.rouge2.f, 0.5);
    }
}
