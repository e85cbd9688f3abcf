//! The dump synthesiser checks its own gold: for every family and several seeds, spans are ordered, disjoint
//! and start and end on printed lines, each span holds its article's printed body in order, the text reads
//! back into the lines the gold counts, and rendering is deterministic. Then the same on the real corpora in
//! `../shared/data`, the story split, and the files `newsdigest synth` writes scored by `newsdigest eval`.

mod common;

use common::{newsdigest, newsdigest_ok};
use newsdigest::ingest::decode_lines;
use newsdigest::sentences::RuleSplitter;
use newsdigest::synth::{
    self, render_dump, Corpus, Family, SourceArticle, Split, SynthDump, SynthOptions,
};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use std::sync::LazyLock;

/// The target of a markdown link, `(url)` after `]`.
static MARKDOWN_LINK_TARGET: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"\]\([^)]*\)").expect("valid pattern"));

/// Made-up articles (written for this test) with and without headlines, subheadings and list items.
fn made_up_articles() -> Vec<SourceArticle> {
    let splitter = RuleSplitter::default();
    let texts: [(&str, Option<&str>, &str); 6] = [
        (
            "t1",
            Some("Floodwaters recede in the river delta as relief boats reach cut-off villages"),
            "Relief boats reached eleven villages in the delta on Tuesday after floodwaters began to recede. \
             Officials said about 40,000 people had been cut off for a week.\n\
             The district health office reported cases of diarrhoea among children in two shelters. \
             Water purification tablets were handed out.\n\
             Farmers said the rice harvest was lost in most low-lying fields.",
        ),
        (
            "t2",
            None,
            "The city council approved a new budget for public libraries after a long debate. \
             Opening hours will be extended on weekends from next month.\n\
             Council members said the reading rooms were crowded during the winter.",
        ),
        (
            "t3",
            Some("Ceasefire talks resume in the capital"),
            "Negotiators from both sides returned to the table on Monday, mediators said.\n\
             ## Prisoner exchange\n\
             A first exchange of detainees is expected within days. \
             The lists were handed to the Red Cross.\n\
             * 120 detainees on the first list\n\
             * 85 on the second\n\
             Observers warned that fighting continued in the north overnight.",
        ),
        (
            "t4",
            None,
            "A magnitude 6.1 earthquake shook the coastal province early on Sunday, damaging schools and \
             a hospital wing. No tsunami warning was issued.",
        ),
        (
            "t5",
            Some("Marathon record falls on a cold morning"),
            "The winner crossed the line in two hours and three minutes, a course record by nearly a minute. \
             Temperatures hovered near freezing at the start.\n\
             Organisers said 18,000 runners finished the race.\n\
             The second-placed runner said the wind had eased after the halfway mark. \
             Next year's edition will move to April.",
        ),
        (
            "t6",
            None,
            "Food prices in the northern markets doubled in three months, aid agencies said in a joint \
             statement, warning that families were skipping meals.\n\
             The agencies appealed for funding to expand cash transfers before the lean season.",
        ),
    ];
    texts
        .iter()
        .map(|(id, title, text)| {
            SourceArticle::from_text(id, Corpus::Dev, *title, text, None, &splitter).unwrap()
        })
        .collect()
}

/// Lower-case letters and digits of the text, everything else dropped (markup, hyphens at line ends, quote
/// prefixes, spacing).
fn alnum(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The rest of `text` after the letters of `word` found in order within its first `reach` bytes.
fn after_scattered<'a>(text: &'a str, word: &str, reach: usize) -> Option<&'a str> {
    let mut chars = word.chars().peekable();
    for (index, c) in text.char_indices().take_while(|(index, _)| *index < reach) {
        if chars.peek() == Some(&c) {
            chars.next();
            if chars.peek().is_none() {
                return Some(&text[index + c.len_utf8()..]);
            }
        }
    }
    None
}

/// Checks one dump's gold against its text; `articles` is what was rendered.
fn check_dump(dump: &SynthDump, articles: usize, context: &str) {
    let (lines, _) = decode_lines("synth", dump.text.as_bytes());
    assert_eq!(
        lines, dump.lines,
        "{context}: the text reads back as its lines"
    );
    assert_eq!(
        dump.spans.len(),
        articles,
        "{context}: one span per article"
    );
    let mut previous_end = 0;
    for (index, span) in dump.spans.iter().enumerate() {
        let at = format!("{context} #{}", index + 1);
        assert!(
            span.start_line > previous_end && span.start_line <= span.end_line,
            "{at}: spans ordered and disjoint ({previous_end} then {}-{})",
            span.start_line,
            span.end_line
        );
        assert!(span.end_line <= lines.len(), "{at}: span inside the dump");
        previous_end = span.end_line;
        let first = &lines[span.start_line - 1];
        let last = &lines[span.end_line - 1];
        assert!(
            !first.trim().is_empty() && !last.trim().is_empty(),
            "{at}: blank edge"
        );
        let body = alnum(&span.text);
        assert!(!body.is_empty(), "{at}: printed body recorded");
        // The body's words appear in the span in order (other lines may sit between them: bylines, page
        // furniture, inner boilerplate).
        let inside = alnum(&lines[span.start_line - 1..span.end_line].join("\n"));
        let mut rest = inside.as_str();
        for word in span
            .text
            .split_whitespace()
            .map(alnum)
            .filter(|w| !w.is_empty())
        {
            // A word hyphenated across a page break has the page furniture in between: take whichever match
            // comes first.
            let whole = rest
                .find(&word)
                .map(|at_word| &rest[at_word + word.len()..]);
            let scattered = after_scattered(rest, &word, 120);
            rest = match (whole, scattered) {
                (Some(a), Some(b)) => {
                    if a.len() >= b.len() {
                        a
                    } else {
                        b
                    }
                }
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => panic!("{at}: body word {word:?} missing from the span (in order)"),
            };
        }
        // The span ends on the body's last line and starts on the headline or the body's first line.
        // Markdown links print their target after the text (`[text](url)`): the edges are compared without.
        let unlinked = |text: &str| alnum(&MARKDOWN_LINK_TARGET.replace_all(text, ""));
        let body = unlinked(&span.text);
        let last_text = MARKDOWN_LINK_TARGET.replace_all(last, "");
        let last_words: Vec<&str> = last_text.split_whitespace().collect();
        let tail: String = last_words[last_words.len().saturating_sub(3)..]
            .iter()
            .map(|word| alnum(word))
            .collect();
        assert!(
            body.ends_with(&tail),
            "{at}: last line {last:?} does not end the body"
        );
        // A live blog or news river (or any dump with time stamps) opens an entry with its time on a line of
        // its own, like a date line, at times with a blank line after it.
        let opening = if first.chars().count() < 50
            && first.chars().any(|c| c.is_ascii_digit())
            && span.end_line > span.start_line
        {
            // The next two lines with text (a web page may print a photo caption before the body).
            let next: Vec<&str> = lines[span.start_line..span.end_line]
                .iter()
                .filter(|line| !line.trim().is_empty())
                .take(2)
                .map(String::as_str)
                .collect();
            format!("{first}\n{}", next.join("\n"))
        } else {
            first.clone()
        };
        let opening_alnum = unlinked(&opening);
        match &span.title {
            Some(title) => {
                // A headline set in a narrow column (two-column PDF text) breaks over a few lines.
                let broken = unlinked(
                    &lines[span.start_line - 1..(span.start_line + 3).min(span.end_line)]
                        .join("\n"),
                );
                assert!(
                    opening_alnum.contains(&alnum(title)) || broken.contains(&alnum(title)),
                    "{at}: first line {first:?} is not the headline {title:?}"
                )
            }
            None => {
                let lead: String = body.chars().take(15).collect();
                assert!(
                    opening_alnum.contains(&lead) || body.starts_with(&unlinked(first)),
                    "{at}: first line {first:?} does not start the body"
                );
            }
        }
    }
}

#[test]
fn every_family_renders_exact_gold_for_several_seeds() {
    let articles = made_up_articles();
    for family in Family::ALL {
        for seed in 0..6u64 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let dump = render_dump(family, &articles, &mut rng);
            check_dump(&dump, articles.len(), &format!("{family} seed {seed}"));
            let mut again = ChaCha8Rng::seed_from_u64(seed);
            assert_eq!(
                render_dump(family, &articles, &mut again),
                dump,
                "{family} seed {seed}: deterministic"
            );
        }
    }
}

#[test]
fn families_differ_in_layout() {
    let articles = made_up_articles();
    let texts: Vec<String> = Family::ALL
        .iter()
        .map(|&family| render_dump(family, &articles, &mut ChaCha8Rng::seed_from_u64(1)).text)
        .collect();
    for (i, a) in texts.iter().enumerate() {
        for (j, b) in texts.iter().enumerate().skip(i + 1) {
            let pair = (Family::ALL[i], Family::ALL[j]);
            // These two differ only where a long word meets the margin, which a draw may not bring about.
            if pair != (Family::HardWrapped, Family::HardWrappedHyphenated) {
                assert_ne!(a, b, "{} and {}", pair.0, pair.1);
            }
        }
    }
    let hyphenated_line_ends = (0..6u64)
        .flat_map(|seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            render_dump(Family::HardWrappedHyphenated, &articles, &mut rng).lines
        })
        .filter(|line| {
            let mut end = line.chars().rev();
            end.next() == Some('-') && end.next().is_some_and(char::is_alphabetic)
        })
        .count();
    assert!(hyphenated_line_ends > 0, "no word was split at a line end");
    let flat = render_dump(
        Family::SentenceLinesFlat,
        &articles,
        &mut ChaCha8Rng::seed_from_u64(1),
    );
    assert!(
        flat.lines.iter().all(|line| !line.trim().is_empty()),
        "no blank line in a flat dump"
    );
    assert!(flat.spans.iter().all(|span| span.title.is_none()));
    for pair in flat.spans.windows(2) {
        assert_eq!(pair[0].end_line + 1, pair[1].start_line, "nothing between");
    }
}

#[test]
fn some_dumps_set_a_run_of_one_paragraph_briefs_solid_beside_their_stories() {
    // A run: two or more untitled one-line articles in a row with nothing between them, in a dump that also
    // holds a story of several lines (in the paragraph-a-line family, where a story's paragraphs are solid too).
    let articles = made_up_articles();
    let with_run = (0..40u64)
        .map(|seed| {
            render_dump(
                Family::ParagraphLines,
                &articles,
                &mut ChaCha8Rng::seed_from_u64(seed),
            )
        })
        .filter(|dump| {
            let brief = |s: &synth::GoldSpan| s.start_line == s.end_line && s.title.is_none();
            let run = dump
                .spans
                .windows(2)
                .any(|p| brief(&p[0]) && brief(&p[1]) && p[0].end_line + 1 == p[1].start_line);
            run && dump.spans.iter().any(|s| s.end_line > s.start_line + 1)
        })
        .count();
    assert!(
        (4..=30).contains(&with_run),
        "{with_run} of 40 dumps set a run of briefs"
    );
}

#[test]
fn family_names_are_kebab_case_in_serde_and_unique() {
    let names: Vec<String> = Family::ALL
        .iter()
        .map(|family| {
            serde_json::to_value(family)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for (family, name) in Family::ALL.iter().zip(&names) {
        assert_eq!(family.name(), name);
        assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
    }
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len());
}

fn shared_data() -> Option<&'static Path> {
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data"));
    path.join("cnndm/articles.jsonl").exists().then_some(path)
}

#[test]
fn real_corpora_render_with_exact_gold_and_stories_stay_on_their_side() {
    let Some(data) = shared_data() else {
        eprintln!("../shared/data is absent: the real-corpus check is skipped");
        return;
    };
    let pool = synth::load_corpora(data, &RuleSplitter::default()).unwrap();
    for (corpus, _) in Corpus::ALL {
        assert!(
            pool.iter().filter(|a| a.corpus == corpus).count() >= 40,
            "{corpus:?} loads"
        );
    }
    for split in [Split::Train, Split::Validation] {
        let options = SynthOptions {
            families: Family::ALL.to_vec(),
            dumps_per_family: 2,
            articles_per_dump: (3, 6),
            seed: 7,
            split,
        };
        let dumps = synth::generate(&pool, &options);
        assert_eq!(dumps.len(), 2 * Family::ALL.len());
        for (index, dump) in dumps.iter().enumerate() {
            let count = dump.spans.len();
            match dump.family.articles_per_dump() {
                Some(fixed) => assert_eq!(count, fixed),
                None => assert!((3..=6).contains(&count)),
            }
            check_dump(
                dump,
                count,
                &format!("{split:?} dump {index} ({})", dump.family),
            );
            for span in &dump.spans {
                assert_eq!(Split::of(&span.source_id), split, "{}", span.source_id);
            }
        }
        assert_eq!(synth::generate(&pool, &options), dumps, "deterministic");
    }
}

#[test]
fn synth_writes_identical_files_for_a_seed_and_eval_aligns_them() {
    let Some(data) = shared_data() else {
        eprintln!("../shared/data is absent: the command check is skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str| {
        let out = dir.path().join(name);
        newsdigest_ok(&[
            "synth",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--families",
            "blank-paragraphs,numbered-digest",
            "--dumps-per-family",
            "2",
            "--articles-per-dump",
            "3-5",
            "--seed",
            "11",
            "--split",
            "validation",
        ]);
        out
    };
    let (first, second) = (write("a"), write("b"));
    for file in [
        "gold.jsonl",
        "gold-numbered-digest.jsonl",
        "blank-paragraphs/blank-paragraphs-000.txt",
        "numbered-digest/numbered-digest-001.txt",
    ] {
        let a = std::fs::read(first.join(file)).unwrap();
        assert!(!a.is_empty(), "{file}");
        assert_eq!(a, std::fs::read(second.join(file)).unwrap(), "{file}");
    }

    // Predictions equal to the gold, located by the dump paths as a run would write them, score 1.0: the
    // gold's `dump` names the files eval sees.
    let gold = std::fs::read_to_string(first.join("gold.jsonl")).unwrap();
    let mut predictions = String::new();
    for line in gold.lines() {
        let mut record: serde_json::Value = serde_json::from_str(line).unwrap();
        let family = record["family"].as_str().unwrap().to_string();
        let dump = record["dump"].as_str().unwrap().to_string();
        let source = first.join(family).join(dump);
        assert!(source.exists(), "{}", source.display());
        record["source"] = source.to_str().unwrap().into();
        record["id"] = format!("p-{}", record["id"].as_str().unwrap()).into();
        predictions.push_str(&record.to_string());
        predictions.push('\n');
    }
    let pred = dir.path().join("pred.jsonl");
    std::fs::write(&pred, predictions).unwrap();
    let output = newsdigest(&[
        "eval",
        "--gold",
        first.join("gold.jsonl").to_str().unwrap(),
        "--pred",
        pred.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["alignment"]["by"], "span");
    assert_eq!(
        report["alignment"]["unmatched_gold"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    assert_eq!(report["segmentation"]["total"]["boundary_f1"], 1.0);
    assert_eq!(report["segmentation"]["total"]["pk"], 0.0);
}
