//! Stage 7, assembly: turns draft stories into articles (span, headline, clean text, metadata) and accounts
//! for every other non-blank line, with the reason it was dropped or left out of the text.

use super::lines::LineKind;
use super::metadata::{agency_tag, dateline, headline_text};
use super::units::{Unit, UnitKind};
use super::{Boundary, Draft, DroppedLine, Segmentation, UnitSentences};
use crate::article::{Article, KnownSentences, Metadata};
use crate::ingest::Dump;

/// Builds the articles of `dump` from the drafts (each keeping the embedded sentences of its units) and lists
/// the lines dropped outside them and the lines left out of their texts.
pub fn assemble(
    dump: &Dump,
    kinds: &[LineKind],
    units: &[Unit],
    mut sentences: Vec<UnitSentences>,
    drafts: &[Draft],
) -> Segmentation {
    let mut segmentation = Segmentation::default();
    let mut unit_reasons: Vec<Option<&str>> = vec![None; units.len()];
    let drafts = &headers_to_their_stories(units, &tails_to_their_stories(units, drafts));
    for (d, draft) in drafts.iter().enumerate() {
        let mut range = draft.units.clone();
        let opening = match draft.chosen {
            true => range.start,
            false => header_start(units, range.clone(), !dump.one_article),
        };
        while range.start < opening {
            unit_reasons[range.start] = Some(match units[range.start].kind {
                UnitKind::DateLine => "date line above the first story",
                _ => "short line that opens no story",
            });
            range.start += 1;
        }
        // Fragments after a story's text are not its own, nor is a source credit after it (as "Read more" and
        // share lines after it are not), nor a date line printed above the next story's headline. A
        // headline-shaped line closing a story stays: real stories end on photo captions without a full stop,
        // and so do the fragments set solid in the story's block where a blank gap closes it.
        let next_opens_with_headline = drafts
            .get(d + 1)
            .and_then(|next| units.get(next.units.start))
            .is_some_and(|unit| unit.kind == UnitKind::Headline);
        let tail_in_block = fragments_close_block(units, range.clone());
        while let Some(last) = range.end.checked_sub(1).filter(|&l| l >= range.start) {
            let reason = match units[last].kind {
                UnitKind::Fragment if !tail_in_block => "short line after the end of a story",
                UnitKind::SourceLine => "source line after the end of a story",
                UnitKind::DateLine if next_opens_with_headline => {
                    "date line above the next story's headline"
                }
                _ => break,
            };
            unit_reasons[last] = Some(reason);
            range.end = last;
        }
        let story = &units[range.clone()];
        if !story.iter().any(Unit::is_prose) {
            for i in range {
                unit_reasons[i] = Some("no story text follows it");
            }
            continue;
        }
        let header = wrapped_headline(story);
        unit_reasons[range.start..range.start + header].fill(Some("headline"));
        let mut article = build_article(dump, story, header, segmentation.articles.len() + 1);
        article.known_sentences = KnownSentences(
            sentences[range]
                .iter_mut()
                .flat_map(std::mem::take)
                .collect(),
        );
        segmentation.boundaries.push(Boundary {
            line: article.start_line.unwrap_or_default(),
            reason: draft.reason.clone(),
        });
        segmentation.articles.push(article);
    }
    let mut unit_of_line = vec![None; kinds.len()];
    for (u, unit) in units.iter().enumerate() {
        for &line in &unit.paragraph.lines {
            unit_of_line[line] = Some(u);
        }
    }
    let mut spanned = vec![false; kinds.len()];
    for article in &segmentation.articles {
        if let (Some(start), Some(end)) = (article.start_line, article.end_line) {
            spanned[start - 1..end].iter_mut().for_each(|s| *s = true);
        }
    }
    for (i, kind) in kinds.iter().enumerate() {
        let line = i + 1;
        let in_span = spanned[i];
        let reason = match kind {
            LineKind::Blank => continue,
            LineKind::Separator => "separator line".to_string(),
            LineKind::Boilerplate(kind) => kind.reason().to_string(),
            LineKind::Text => match unit_of_line[i].map(|u| (&units[u], unit_reasons[u])) {
                Some((_, Some(reason))) => reason.to_string(),
                Some((unit, None)) if in_span => match omitted_reason(unit) {
                    Some(reason) => reason.to_string(),
                    None => continue,
                },
                _ => "outside every story".to_string(),
            },
        };
        let entry = DroppedLine { line, reason };
        if in_span {
            segmentation.omitted.push(entry);
        } else {
            segmentation.dropped.push(entry);
        }
    }
    segmentation
}

/// Moves the headline printed above a byline or date line to the story that the byline opens: where a story
/// was found to start at its byline, the block of short lines just above it (a headline wrapped over several
/// lines in a narrow column, a kicker) is that story's header, not the end of the story before.
fn headers_to_their_stories(units: &[Unit], drafts: &[Draft]) -> Vec<Draft> {
    let mut drafts = drafts.to_vec();
    for d in 1..drafts.len() {
        let start = drafts[d].units.start;
        let floor = drafts[d - 1].units.start + 1;
        if drafts[d].chosen && units.get(start).is_some_and(opens_header) && start > floor {
            let header = header_above(units, start, floor);
            drafts[d - 1].units.end = header;
            drafts[d].units.start = header;
        }
    }
    drafts
}

/// Gives back to the story above it a draft of nothing but fragments set solid under that story's text and
/// closed by a blank gap (a caption the boundary model took for a headline): they are the story's own tail.
fn tails_to_their_stories(units: &[Unit], drafts: &[Draft]) -> Vec<Draft> {
    let mut kept: Vec<Draft> = Vec::with_capacity(drafts.len());
    for draft in drafts {
        match kept.last_mut() {
            Some(last)
                if units[draft.units.clone()]
                    .iter()
                    .all(|unit| unit.kind == UnitKind::Fragment)
                    && fragments_close_block(units, last.units.start..draft.units.end) =>
            {
                last.units.end = draft.units.end
            }
            _ => kept.push(draft.clone()),
        }
    }
    kept
}

/// Where the story of the dump's first draft opens: its first unit that is neither loose nor, when the dump
/// holds several stories (`several_stories`), a date line with no story text after it that opens the dump (a
/// newsletter's masthead, a clippings file's date) or stands above a headline (a blog's date set solid above
/// its title, even where no chosen start made that a headline), or the header block printed above that unit
/// when it is a byline or date line. A file of one article keeps the date above its headline.
fn header_start(units: &[Unit], range: std::ops::Range<usize>, several_stories: bool) -> usize {
    let dump_date = |u: usize| {
        let next = units.get(u + 1).filter(|_| u + 1 < range.end);
        several_stories
            && units[u].kind == UnitKind::DateLine
            && !next.is_some_and(Unit::is_prose)
            && (u == range.start
                || next.is_some_and(|next| {
                    next.kind == UnitKind::Headline
                        || (next.kind == UnitKind::Subheading && next.paragraph.blanks_before == 0)
                }))
    };
    let first = (range.start..range.end)
        .find(|&u| !is_loose(&units[u]) && !dump_date(u))
        .unwrap_or(range.end);
    match units
        .get(first)
        .filter(|unit| first < range.end && opens_header(unit))
    {
        Some(_) => header_above(units, first, range.start),
        None => first,
    }
}

/// A byline or date line, which stands below a story's headline.
fn opens_header(unit: &Unit) -> bool {
    matches!(unit.kind, UnitKind::Byline(_) | UnitKind::DateLine)
}

/// The first unit of the header block above unit `u` (not above `floor`): the short line just above it and the
/// lines set solid above that one (no blank line between them), none of them story text.
fn header_above(units: &[Unit], u: usize, floor: usize) -> usize {
    let is_header_line = |unit: &Unit| {
        matches!(
            unit.kind,
            UnitKind::Headline | UnitKind::Fragment | UnitKind::Subheading
        )
    };
    let mut start = u;
    while start > floor && is_header_line(&units[start - 1]) {
        start -= 1;
        if !units[start].set_solid() {
            break;
        }
    }
    start
}

/// Whether the fragments that end the story in `range` are set solid under its text in one block that a blank
/// gap (or the end of the dump) closes: captions and sentence tails of the story itself, in a dump that sets
/// its paragraphs solid and parts its stories with blank lines. A fragment after a gap or a dropped line, or
/// one that the next story follows set solid, cannot be told from a feed header or the next story's kicker.
fn fragments_close_block(units: &[Unit], range: std::ops::Range<usize>) -> bool {
    let tail = units[range.clone()]
        .iter()
        .rev()
        .take_while(|unit| unit.kind == UnitKind::Fragment)
        .count();
    tail > 0
        && tail < range.len()
        && units[range.end - tail..range.end]
            .iter()
            .all(Unit::set_solid)
        && units
            .get(range.end)
            .is_none_or(|next| next.paragraph.blanks_before > 0)
}

/// Lines that cannot open a story on their own.
fn is_loose(unit: &Unit) -> bool {
    matches!(unit.kind, UnitKind::Fragment | UnitKind::Subheading)
}

/// Why a line inside an article is not part of its text, if it is not.
fn omitted_reason(unit: &Unit) -> Option<&'static str> {
    match unit.kind {
        UnitKind::Headline => Some("headline"),
        UnitKind::Byline(_) => Some("byline"),
        UnitKind::DateLine => Some("date line"),
        UnitKind::SourceLine => Some("source line"),
        _ => None,
    }
}

/// How many short lines open the story as one headline broken over them: lines set solid (no blank line
/// between them), none a headline on its own, standing right above the story's byline or date line (a
/// headline in a narrow column of a PDF or a print layout).
fn wrapped_headline(story: &[Unit]) -> usize {
    let lines = story
        .iter()
        .take_while(|unit| unit.kind == UnitKind::Fragment)
        .count();
    match lines > 1
        && story[1..lines].iter().all(Unit::set_solid)
        && story.get(lines).is_some_and(opens_header)
    {
        true => lines,
        false => 0,
    }
}

/// The article of a story whose first `header` units are its headline broken over several lines (0: the
/// first unit is the headline if it is one).
fn build_article(dump: &Dump, story: &[Unit], header: usize, n: usize) -> Article {
    let first = &story[0];
    let last = &story[story.len() - 1];
    let title = match &first.kind {
        _ if header > 0 => Some(
            story[..header]
                .iter()
                .map(|unit| unit.paragraph.text.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        UnitKind::Headline => Some(headline_text(&first.paragraph.text).to_string()),
        UnitKind::Digest { title } => Some(title.clone()),
        _ => None,
    };
    let body: Vec<&Unit> = story[header..]
        .iter()
        .filter(|unit| {
            matches!(
                unit.kind,
                UnitKind::Prose
                    | UnitKind::Digest { .. }
                    | UnitKind::Fragment
                    | UnitKind::Subheading
            )
        })
        .collect();
    let metadata = Metadata {
        byline: story.iter().find_map(|unit| match &unit.kind {
            UnitKind::Byline(name) => Some(name.clone()),
            _ => None,
        }),
        dateline: body
            .iter()
            .find(|unit| unit.is_prose())
            .and_then(|unit| dateline(&unit.body))
            .map(str::to_string),
        published: story
            .iter()
            .find(|unit| unit.kind == UnitKind::DateLine)
            .map(|unit| unit.paragraph.text.clone()),
        source_tag: body
            .iter()
            .rev()
            .find(|unit| unit.is_prose())
            .and_then(|unit| agency_tag(&unit.body))
            .map(str::to_string),
    };
    Article {
        id: format!("{}#{n}", dump.stem),
        source: dump.source.clone(),
        start_line: Some(first.paragraph.first_line() + 1),
        end_line: Some(last.paragraph.last_line() + 1),
        title,
        text: body
            .iter()
            .map(|unit| unit.body.as_str())
            .collect::<Vec<_>>()
            .join("\n\n"),
        metadata,
        known_sentences: KnownSentences::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::lines::classify_lines;
    use crate::segment::paragraphs::{group_paragraphs, wrap_width};
    use crate::segment::units::classify_units;

    /// Assembles `text` with stories chosen to start at the 1-based lines `starts`.
    fn assemble_at(text: &str, one_article: bool, starts: &[usize]) -> Segmentation {
        let lines: Vec<String> = text.lines().map(String::from).collect();
        let kinds = classify_lines(&lines);
        let units = classify_units(group_paragraphs(&lines, &kinds, wrap_width(&lines, &kinds)));
        let mut drafts = vec![Draft {
            units: 0..units.len(),
            reason: "first text of the dump".to_string(),
            chosen: false,
        }];
        for &line in starts {
            let u = units
                .iter()
                .position(|unit| unit.paragraph.first_line() + 1 == line)
                .expect("a start opens a unit");
            if let Some(last) = drafts.last_mut() {
                last.units.end = u;
            }
            drafts.push(Draft {
                units: u..units.len(),
                reason: "chosen".to_string(),
                chosen: true,
            });
        }
        let mut dump = Dump::new("clippings.txt".to_string(), lines);
        dump.one_article = one_article;
        let sentences = vec![Vec::new(); units.len()];
        assemble(&dump, &kinds, &units, sentences, &drafts)
    }

    fn assemble_text(text: &str, one_article: bool) -> Vec<(Option<usize>, Option<String>)> {
        assemble_at(text, one_article, &[])
            .articles
            .into_iter()
            .map(|a| (a.start_line, a.title))
            .collect()
    }

    fn spans(segmentation: &Segmentation) -> Vec<(usize, usize)> {
        segmentation
            .articles
            .iter()
            .filter_map(|a| a.start_line.zip(a.end_line))
            .collect()
    }

    /// A sentence per line, a blank line between stories: a caption without a full stop set solid under a
    /// story's last sentence (broken in two by sentence splitting) is the story's own, even where the boundary
    /// model took it for a start. A short line after a blank gap, or one that the next story follows set solid,
    /// is not.
    #[test]
    fn fragments_set_solid_in_a_story_s_block_stay_in_the_story() {
        let blocks = "Heavy rain closed the coastal road on Monday and cut off three villages in the north.\n\
                      Officials said repairs would take a week.\n\
                      Cut off:\n\
                      the road north of the harbour on Monday\n\
                      \n\
                      The first aid convoy in six weeks reached the besieged town on Tuesday, carrying flour.\n\
                      Residents said bread had run out.\n\
                      Trucks at the checkpoint";
        assert_eq!(spans(&assemble_at(blocks, false, &[6])), [(1, 4), (6, 8)]);
        assert_eq!(
            spans(&assemble_at(blocks, false, &[3, 6])),
            [(1, 4), (6, 8)]
        );
        let after_gap = blocks.replacen("Cut off", "\nCut off", 1);
        assert_eq!(
            spans(&assemble_at(&after_gap, false, &[7])),
            [(1, 2), (7, 9)]
        );
        let flat = blocks.replacen("\n\n", "\n", 1);
        assert_eq!(spans(&assemble_at(&flat, false, &[5])), [(1, 2), (5, 7)]);
    }

    /// A clippings file opens with its own date; its first story opens at the headline below it, whose own
    /// credit-and-date line confirms it. A file of one article keeps such a date as its own.
    #[test]
    fn the_dump_s_own_date_stays_outside_its_first_story() {
        let text = "Clippings, 11 July 2026\n\
                    \n\
                    Floods cut the coastal road in the north\n\
                    \n\
                    Reuters - 10 July 2026\n\
                    \n\
                    Heavy rain closed the coastal road on Monday and cut off three villages, officials said.";
        let title = Some("Floods cut the coastal road in the north".to_string());
        assert_eq!(assemble_text(text, false), [(Some(3), title)]);
        assert_eq!(assemble_text(text, true)[0].0, Some(1));
    }

    /// A two-column bulletin as PDF extraction prints it: the second story's headline is broken over three
    /// lines set solid above its byline, and the boundary model chose the byline as the story's start.
    #[test]
    fn a_story_opened_at_its_byline_takes_the_headline_broken_above_it() {
        let text = "Floods cut the coastal road\n\
                    \n\
                    Heavy rain closed the coastal road on Monday and cut off three villages, officials said.\n\
                    \n\
                    Repair crews expect to reopen one lane by the end of the week, the roads agency said.\n\
                    \n\
                    Relief convoys reach\n\
                    the besieged northern\n\
                    town after six weeks\n\
                    \n\
                    By Ana Ribeiro, 14 March 2026\n\
                    \n\
                    The first aid convoy in six weeks reached the town on Tuesday, carrying food and medicine.\n\
                    \n\
                    Residents said bread had run out days ago and the clinic had no fuel for its generator.";
        let segmentation = assemble_at(text, false, &[11]);
        let spans: Vec<_> = segmentation
            .articles
            .iter()
            .map(|a| (a.start_line, a.end_line, a.title.as_deref()))
            .collect();
        assert_eq!(
            spans,
            [
                (Some(1), Some(5), Some("Floods cut the coastal road")),
                (
                    Some(7),
                    Some(15),
                    Some("Relief convoys reach the besieged northern town after six weeks")
                ),
            ]
        );
        assert!(segmentation.articles[1]
            .text
            .starts_with("The first aid convoy"));
        assert_eq!(
            segmentation.articles[1].metadata.byline.as_deref(),
            Some("Ana Ribeiro, 14 March 2026")
        );
    }
}
