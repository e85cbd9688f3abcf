//! NLTK's Porter stemmer in its default `NLTK_EXTENSIONS` mode, ported rule for rule from
//! `nltk/stem/porter.py` (nltk 3.10.4).
//!
//! It exists because `rouge-score` stems with exactly this variant, and the published Rust crates implement
//! either the original 1980 algorithm or Snowball's Porter2, which stem words such as "generously", "dying",
//! "skies" or "spied" differently. Words are handled as sequences of Unicode scalar values, as Python
//! indexes strings, so the port agrees on any input.

/// Words NLTK maps directly, before any rule runs.
const IRREGULAR_FORMS: [(&str, &str); 16] = [
    ("sky", "sky"),
    ("skies", "sky"),
    ("dying", "die"),
    ("lying", "lie"),
    ("tying", "tie"),
    ("news", "news"),
    ("innings", "inning"),
    ("inning", "inning"),
    ("outings", "outing"),
    ("outing", "outing"),
    ("cannings", "canning"),
    ("canning", "canning"),
    ("howe", "howe"),
    ("proceed", "proceed"),
    ("exceed", "exceed"),
    ("succeed", "succeed"),
];

/// Returns the stem NLTK's `PorterStemmer().stem(word)` returns: the word lower-cased, then stripped of its
/// suffixes by Porter's steps 1a–5b with NLTK's extensions.
pub fn stem(word: &str) -> String {
    let lower = word.to_lowercase();
    if let Some((_, stem)) = IRREGULAR_FORMS.iter().find(|(form, _)| *form == lower) {
        return (*stem).to_string();
    }
    if word.chars().count() <= 2 {
        return lower;
    }
    let mut chars: Vec<char> = lower.chars().collect();
    for step in [step1a, step1b, step1c, step2, step3, step4, step5a, step5b] {
        chars = step(&chars);
    }
    chars.into_iter().collect()
}

/// A suffix rule's applicability test on the stem left once the suffix is removed.
type Condition<'a> = &'a dyn Fn(&[char]) -> bool;

/// A suffix rule: suffix to remove, replacement to append, condition on the remaining stem.
type Rule<'a> = (&'static str, &'static str, Condition<'a>);

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Porter's consonant test, as NLTK writes it: `y` counts as a consonant after a vowel (or a run of `y`s of
/// the right parity) and as a vowel after a consonant.
fn is_consonant(word: &[char], index: usize) -> bool {
    let mut i = index;
    if is_vowel(word[i]) {
        return false;
    }
    if word[i] == 'y' {
        let mut negate = false;
        while i > 0 && word[i] == 'y' {
            negate = !negate;
            i -= 1;
        }
        return is_vowel(word[i]) == negate;
    }
    true
}

/// Consonant flags for every letter in one left-to-right pass (a `y` is a consonant unless it follows one),
/// equal to [`is_consonant`] at each index without its walk back over runs of `y`.
fn consonant_flags(stem: &[char]) -> Vec<bool> {
    let mut flags: Vec<bool> = Vec::with_capacity(stem.len());
    for &c in stem {
        let consonant = match c {
            'y' => !flags.last().copied().unwrap_or(false),
            c => !is_vowel(c),
        };
        flags.push(consonant);
    }
    flags
}

/// The measure m of a stem in `[C](VC){m}[V]`: how many vowel-to-consonant transitions it has.
fn measure(stem: &[char]) -> usize {
    consonant_flags(stem)
        .windows(2)
        .filter(|pair| !pair[0] && pair[1])
        .count()
}

fn contains_vowel(stem: &[char]) -> bool {
    consonant_flags(stem).contains(&false)
}

/// Condition *d: the word ends with a double consonant.
fn ends_double_consonant(word: &[char]) -> bool {
    let n = word.len();
    n >= 2 && word[n - 1] == word[n - 2] && is_consonant(word, n - 1)
}

/// Condition *o: the word ends consonant–vowel–consonant with the last not `w`, `x` or `y`; NLTK also accepts
/// a two-letter vowel–consonant word.
fn ends_cvc(word: &[char]) -> bool {
    let n = word.len();
    (n >= 3
        && is_consonant(word, n - 3)
        && !is_consonant(word, n - 2)
        && is_consonant(word, n - 1)
        && !matches!(word[n - 1], 'w' | 'x' | 'y'))
        || (n == 2 && !is_consonant(word, 0) && is_consonant(word, 1))
}

fn ends_with(word: &[char], suffix: &str) -> bool {
    let n = suffix.len();
    word.len() >= n && word[word.len() - n..].iter().copied().eq(suffix.chars())
}

fn without_suffix<'w>(word: &'w [char], suffix: &str) -> &'w [char] {
    &word[..word.len() - suffix.len()]
}

fn joined(stem: &[char], replacement: &str) -> Vec<char> {
    stem.iter().copied().chain(replacement.chars()).collect()
}

/// Applies the first rule whose suffix the word ends with; if its condition fails the word is kept as is
/// (later rules are not tried), as NLTK's `_apply_rule_list` does.
fn apply_rule_list(word: &[char], rules: &[Rule]) -> Vec<char> {
    for (suffix, replacement, condition) in rules {
        if ends_with(word, suffix) {
            let stem = without_suffix(word, suffix);
            return if condition(stem) {
                joined(stem, replacement)
            } else {
                word.to_vec()
            };
        }
    }
    word.to_vec()
}

fn always(_: &[char]) -> bool {
    true
}

fn positive_measure(stem: &[char]) -> bool {
    measure(stem) > 0
}

fn measure_above_one(stem: &[char]) -> bool {
    measure(stem) > 1
}

/// Step 1a: plurals (`sses`, `ies`, `s`); NLTK keeps four-letter `-ies` words as `-ie`.
fn step1a(word: &[char]) -> Vec<char> {
    if ends_with(word, "ies") && word.len() == 4 {
        return joined(without_suffix(word, "ies"), "ie");
    }
    apply_rule_list(
        word,
        &[
            ("sses", "ss", &always),
            ("ies", "i", &always),
            ("ss", "ss", &always),
            ("s", "", &always),
        ],
    )
}

/// Step 1b: `-eed`, `-ed`, `-ing`, then tidying of the exposed stem; NLTK maps `-ied` to `-ie`/`-i` first.
fn step1b(word: &[char]) -> Vec<char> {
    if ends_with(word, "ied") {
        let replacement = if word.len() == 4 { "ie" } else { "i" };
        return joined(without_suffix(word, "ied"), replacement);
    }
    if ends_with(word, "eed") {
        let stem = without_suffix(word, "eed");
        return if measure(stem) > 0 {
            joined(stem, "ee")
        } else {
            word.to_vec()
        };
    }
    let Some(stem) = ["ed", "ing"]
        .iter()
        .filter(|suffix| ends_with(word, suffix))
        .map(|suffix| without_suffix(word, suffix))
        .find(|stem| contains_vowel(stem))
    else {
        return word.to_vec();
    };
    for (suffix, replacement) in [("at", "ate"), ("bl", "ble"), ("iz", "ize")] {
        if ends_with(stem, suffix) {
            return joined(without_suffix(stem, suffix), replacement);
        }
    }
    if ends_double_consonant(stem) {
        let last = stem[stem.len() - 1];
        return if matches!(last, 'l' | 's' | 'z') {
            stem.to_vec()
        } else {
            stem[..stem.len() - 1].to_vec()
        };
    }
    if measure(stem) == 1 && ends_cvc(stem) {
        joined(stem, "e")
    } else {
        stem.to_vec()
    }
}

/// Step 1c: a final `y` after a consonant becomes `i` (NLTK: unless the stem is a single letter).
fn step1c(word: &[char]) -> Vec<char> {
    apply_rule_list(
        word,
        &[("y", "i", &|stem: &[char]| {
            stem.len() > 1 && is_consonant(stem, stem.len() - 1)
        })],
    )
}

/// Step 2: double suffixes to single ones (`-ational` → `-ate`, ...), with NLTK's `-alli`, `-fulli` and
/// `-logi` rules.
fn step2(word: &[char]) -> Vec<char> {
    if ends_with(word, "alli") && positive_measure(without_suffix(word, "alli")) {
        return step2(&joined(without_suffix(word, "alli"), "al"));
    }
    let logi_condition = |_: &[char]| positive_measure(&word[..word.len() - 3]);
    apply_rule_list(
        word,
        &[
            ("ational", "ate", &positive_measure),
            ("tional", "tion", &positive_measure),
            ("enci", "ence", &positive_measure),
            ("anci", "ance", &positive_measure),
            ("izer", "ize", &positive_measure),
            ("bli", "ble", &positive_measure),
            ("alli", "al", &positive_measure),
            ("entli", "ent", &positive_measure),
            ("eli", "e", &positive_measure),
            ("ousli", "ous", &positive_measure),
            ("ization", "ize", &positive_measure),
            ("ation", "ate", &positive_measure),
            ("ator", "ate", &positive_measure),
            ("alism", "al", &positive_measure),
            ("iveness", "ive", &positive_measure),
            ("fulness", "ful", &positive_measure),
            ("ousness", "ous", &positive_measure),
            ("aliti", "al", &positive_measure),
            ("iviti", "ive", &positive_measure),
            ("biliti", "ble", &positive_measure),
            ("fulli", "ful", &positive_measure),
            ("logi", "log", &logi_condition),
        ],
    )
}

/// Step 3: `-icate`, `-ative`, `-alize`, `-iciti`, `-ical`, `-ful`, `-ness`.
fn step3(word: &[char]) -> Vec<char> {
    apply_rule_list(
        word,
        &[
            ("icate", "ic", &positive_measure),
            ("ative", "", &positive_measure),
            ("alize", "al", &positive_measure),
            ("iciti", "ic", &positive_measure),
            ("ical", "ic", &positive_measure),
            ("ful", "", &positive_measure),
            ("ness", "", &positive_measure),
        ],
    )
}

/// Step 4: removes the remaining suffixes from stems of measure above one.
fn step4(word: &[char]) -> Vec<char> {
    let ion_condition = |stem: &[char]| measure(stem) > 1 && matches!(stem.last(), Some('s' | 't'));
    apply_rule_list(
        word,
        &[
            ("al", "", &measure_above_one),
            ("ance", "", &measure_above_one),
            ("ence", "", &measure_above_one),
            ("er", "", &measure_above_one),
            ("ic", "", &measure_above_one),
            ("able", "", &measure_above_one),
            ("ible", "", &measure_above_one),
            ("ant", "", &measure_above_one),
            ("ement", "", &measure_above_one),
            ("ment", "", &measure_above_one),
            ("ent", "", &measure_above_one),
            ("ion", "", &ion_condition),
            ("ou", "", &measure_above_one),
            ("ism", "", &measure_above_one),
            ("ate", "", &measure_above_one),
            ("iti", "", &measure_above_one),
            ("ous", "", &measure_above_one),
            ("ive", "", &measure_above_one),
            ("ize", "", &measure_above_one),
        ],
    )
}

/// Step 5a: drops a final `e` when the stem is long enough.
fn step5a(word: &[char]) -> Vec<char> {
    if ends_with(word, "e") {
        let stem = without_suffix(word, "e");
        let m = measure(stem);
        if m > 1 || (m == 1 && !ends_cvc(stem)) {
            return stem.to_vec();
        }
    }
    word.to_vec()
}

/// Step 5b: `-ll` → `-l` on long stems.
fn step5b(word: &[char]) -> Vec<char> {
    let condition = |_: &[char]| measure(&word[..word.len() - 1]) > 1;
    apply_rule_list(word, &[("ll", "l", &condition)])
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn stems_the_examples_of_porters_paper() {
        for (word, expected) in [
            ("caresses", "caress"),
            ("ponies", "poni"),
            ("cats", "cat"),
            ("agreed", "agre"),
            ("plastered", "plaster"),
            ("motoring", "motor"),
            ("hopping", "hop"),
            ("falling", "fall"),
            ("filing", "file"),
            ("relational", "relat"),
            ("triplicate", "triplic"),
            ("adjustment", "adjust"),
            ("controll", "control"),
        ] {
            assert_eq!(stem(word), expected, "{word}");
        }
    }

    #[test]
    fn applies_nltk_extensions() {
        for (word, expected) in [
            ("dying", "die"),
            ("skies", "sky"),
            ("news", "news"),
            ("ties", "tie"),
            ("spied", "spi"),
            ("generously", "gener"),
            ("enjoy", "enjoy"),
            ("happy", "happi"),
            ("analogi", "analog"),
            ("Running", "run"),
            ("at", "at"),
        ] {
            assert_eq!(stem(word), expected, "{word}");
        }
    }
}
