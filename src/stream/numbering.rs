//! Numbering across windows: a dump too large to segment at once is read in windows (see
//! [`crate::ingest::InputStream`]); each window is segmented on its own and renumbered here, so the articles
//! get the ids and line numbers they would get from the whole dump.

use crate::ingest::Dump;
use crate::segment::Segmentation;

/// Carries article numbers and line numbers over the windows of one dump (see [`crate::ingest::InputStream`]),
/// so a dump segmented in windows gets the ids `<stem>#<n>` and line numbers it would get whole.
#[derive(Debug, Default)]
pub struct WindowNumbering {
    articles_before: usize,
}

impl WindowNumbering {
    /// Renumbers one window's segmentation in place: ids continue from the dump's earlier windows, and every
    /// line number becomes a line number of the whole dump. Windows must come in order.
    pub fn place(&mut self, window: &Dump, segmentation: &mut Segmentation) {
        if window.line_offset == 0 {
            self.articles_before = 0;
        } else {
            let offset = window.line_offset;
            for (n, article) in (self.articles_before + 1..).zip(&mut segmentation.articles) {
                article.id = format!("{}#{n}", window.stem);
                article.start_line = article.start_line.map(|l| l + offset);
                article.end_line = article.end_line.map(|l| l + offset);
            }
            for boundary in &mut segmentation.boundaries {
                boundary.line += offset;
            }
            for line in segmentation
                .dropped
                .iter_mut()
                .chain(&mut segmentation.omitted)
            {
                line.line += offset;
            }
        }
        self.articles_before += segmentation.articles.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::segment::{Boundary, DroppedLine};

    fn window(line_offset: usize) -> Dump {
        Dump {
            line_offset,
            ..Dump::new("feed.txt".to_string(), vec!["x".to_string(); 10])
        }
    }

    fn one_article(start: usize) -> Segmentation {
        let article = Article {
            id: "feed#1".to_string(),
            source: "feed.txt".to_string(),
            start_line: Some(start),
            end_line: Some(start + 2),
            title: None,
            text: "x".to_string(),
            metadata: Default::default(),
            known_sentences: Default::default(),
        };
        let line = |line| DroppedLine {
            line,
            reason: "test".to_string(),
        };
        Segmentation {
            articles: vec![article],
            dropped: vec![line(start + 3)],
            boundaries: vec![Boundary {
                line: start,
                reason: "test".to_string(),
            }],
            omitted: vec![line(start + 1)],
        }
    }

    #[test]
    fn later_windows_continue_ids_and_line_numbers_of_the_whole_dump() {
        let mut numbering = WindowNumbering::default();
        let mut first = one_article(2);
        numbering.place(&window(0), &mut first);
        assert_eq!(first, one_article(2));
        let mut second = one_article(2);
        numbering.place(&window(10), &mut second);
        assert_eq!(second.articles[0].id, "feed#2");
        assert_eq!(second.articles[0].start_line, Some(12));
        assert_eq!(second.articles[0].end_line, Some(14));
        assert_eq!(second.boundaries[0].line, 12);
        assert_eq!(second.omitted[0].line, 13);
        assert_eq!(second.dropped[0].line, 15);
        let mut next_dump = one_article(2);
        numbering.place(&window(0), &mut next_dump);
        assert_eq!(next_dump.articles[0].id, "feed#1");
    }
}
