#!/usr/bin/env python3
"""Renders real stories through real document tools and writes the dumps with their gold spans.

An independent check of the segmenter: the text of every dump here comes out of a third-party tool (html2text,
inscriptis, pandoc, reportlab + pdfminer / pypdf, the e-mail library, python-docx + pandoc), never out of our
own synthesiser, so its blind spots are not ours. Stories are ones no boundary model is trained on: every
cnndm article (scripts/train-segmenter leaves cnndm out) and the validation split of xsum and reliefweb (xxh3-64
of the id modulo 5 is 0, as in src/synth/source.rs).

`--split train` renders instead only training-split xsum and reliefweb stories (never cnndm, never a validation
story; the dev stories are written for dev and are in neither corpus), for scripts/train-segmenter to learn
from real tools' output.

Gold spans are found in the tool's output, not predicted from what we fed in: a story starts at the line that
holds the first words of its headline (or of its body when it has none) and ends at the line that holds the last
words of its body. A story whose words cannot be found in order is left out of gold and counted.

The renderings (RENDERINGS, at the end), each one way people get news text:

- web copy: a front page through html2text, inscriptis, pandoc, BeautifulSoup's get_text (one text node per
  line, as a naive scraper writes) and markdownify; story pages through trafilatura (clippings, with or
  without its metadata front matter) and readability-lxml + html2text (a read-it-later export); a blog archive
  converted to markdown by pandoc; markdown clippings through pandoc;
- PDF: a reportlab bulletin through pdfminer and pypdf; newspaper pages (paragraphs marked only by an indent)
  through PyMuPDF (two or three columns) and pdfplumber (one column, plain or with its layout kept);
- mail: a MIME newsletter read with the e-mail library; table-layout HTML newsletters through html2text and
  inscriptis; an mbox of wire messages read with the mailbox module and saved or printed as a mail client does;
- feeds, documents and exports: an RSS feed parsed by feedparser; an agency's NITF feed stripped to its text by
  lxml; Word (python-docx; read by pandoc and by python-docx), ODT and EPUB (ebooklib) documents through
  pandoc or html2text; a CSV export written by the csv module.

Where a tool prints the headline only in a header field (trafilatura's `title:`, a mail's `Subject:`, a CSV
row), the story starts at that line; a kicker, a blog's day heading or a front matter's `---` above it stays
outside. Every rendering kept here locates all or all but one of its stories at seeds 7 and 8.

    realworld_eval.py --data ../shared/data --out target/realworld [--seed 7] [--dumps 4] [--stories 6]
                      [--split validation|train]

Writes OUT/<rendering>/<rendering>-NNN.txt (the CSV export as .csv, or .tsv when tab-separated, so newsdigest
reads it as records, one article per row), OUT/gold.jsonl (`{dump, family, id, start_line, end_line, title}`, lines
1-based, `family` = the rendering) and prints how many stories each rendering located.
"""
import argparse
import email
import email.policy
import html
import io
import json
import os
import random
import re
import sys
from email.message import EmailMessage

import xxhash

NAMES = ["Ana Ribeiro", "Tom Hale", "Suha Nasser", "Diego Paz", "Mei Lin", "Kwame Mensah", "Sara Olsen",
         "Ravi Menon", "Lucia Ferrante", "John Whitaker", "Amina Yusuf", "Pieter de Vries"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
SECTIONS = ["World", "Politics", "Business", "Health", "Climate", "Sport", "Culture", "Science"]
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'’”)]))\s+(?=[\"“‘(]?[A-Z0-9])")


def is_validation(story_id):
    return xxhash.xxh3_64_intdigest(story_id.encode()) % 5 == 0


def sentences(text):
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def clean(text):
    """One paragraph of source text without markdown emphasis and links (the renderings add their own)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)", "", text)
    return " ".join(text.split())


def detokenise(text):
    text = re.sub(r" ([,.;:!?%])", r"\1", text)
    text = re.sub(r" (['’](s|t|re|ve|ll|d|m))\b", r"\1", text)
    return text.strip()


def headline_of(summary):
    first = sentences(detokenise(summary.replace("\n", " ")))[0]
    first = first.rstrip(" .")
    return first[:1].upper() + first[1:]


def load_stories(data, rng, per_corpus, split="validation"):
    """Real stories as {id, headline, paragraphs}: cnndm (all; cut into paragraphs of 1-3 sentences), xsum and
    reliefweb (the stories of `split` only), 120 to 900 words each."""
    stories = []

    def records(name):
        with open(os.path.join(data, name), encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    pool = []
    for record in records("cnndm/articles.jsonl"):
        parts, rest = [], sentences(record["text"])
        while rest:
            take = rng.randint(1, 3)
            parts.append(" ".join(rest[:take]))
            rest = rest[take:]
        pool.append(("cnndm", record["id"], headline_of(record["summary"]), parts))
    for record in records("xsum/articles.jsonl"):
        if is_validation(record["id"]) != (split == "validation"):
            continue
        text = record["text"]
        if text.startswith("Share this with"):
            text = text.split("\n", 2)[-1]
        parts = [clean(line) for line in text.split("\n") if len(clean(line)) > 1]
        pool.append(("xsum", record["id"], headline_of(record["summary"]), parts))
    for record in records("reliefweb/reports.jsonl"):
        if is_validation(record["id"]) != (split == "validation"):
            continue
        first, _, rest = record["text"].partition("\n")
        title = first.split(" **")[0].strip()
        if not (10 < len(title) < 160) or "**" in title:
            continue
        body = first[len(title):] + "\n" + rest
        parts = [clean(p) for p in re.split(r"\n\s*\n", body)]
        parts = [p for p in parts if len(p.split()) >= 4 and not p.startswith(("|", "#"))]
        pool.append(("reliefweb", record["id"], clean(title), parts))
    for corpus, count in per_corpus.items():
        mine = [s for s in pool if s[0] == corpus and 120 <= sum(len(p.split()) for p in s[3]) <= 900]
        mine.sort(key=lambda s: s[1])
        for _, story_id, headline, parts in rng.sample(mine, min(count, len(mine))):
            stories.append({"id": story_id, "headline": headline, "paragraphs": parts})
    return stories


def byline(rng):
    day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.choice([2024, 2025, 2026])
    return rng.choice(NAMES), f"{day} {month} {year}", f"{year}-{MONTHS.index(month) + 1:02d}-{day:02d}"


# ---------------------------------------------------------------------------------------------------- HTML


def html_page(stories, rng):
    """A news site's front page: navigation, several stories with bylines, a photo, a share bar and related
    links, a sidebar and a footer."""
    site = rng.choice(["The Daily Meridian", "Northgate News", "Harbour Post", "Global Desk"])
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in SECTIONS)
    out = [f"<!DOCTYPE html><html><head><title>{site}</title></head><body>",
           f'<header><a class="logo" href="/">{site}</a><nav><ul>{nav}</ul></nav>',
           '<form><input type="search" placeholder="Search"><button>Search</button></form></header><main>']
    for i, story in enumerate(stories):
        name, date, iso = byline(rng)
        section = rng.choice(SECTIONS)
        out.append(f'<article><p class="kicker"><a href="/{section.lower()}">{section}</a></p>'
                   if rng.random() < 0.3 else "<article>")
        out.append(f'<h2><a href="/story/{i}">{html.escape(story["headline"])}</a></h2>')
        out.append(f'<p class="byline">By <a href="/by/{i}">{name}</a> | <time datetime="{iso}">{date}</time></p>')
        if rng.random() < 0.5:
            out.append(f'<figure><img src="/img/{i}.jpg" alt="{rng.choice(["Photo", "File photo", ""])}">'
                       f"<figcaption>File photo. (Photo: {rng.choice(NAMES)}/Agency)</figcaption></figure>")
        for paragraph in story["paragraphs"]:
            out.append(f"<p>{html.escape(paragraph)}</p>")
        out.append('<div class="share">Share: <a href="#">Facebook</a> <a href="#">Twitter</a> '
                   '<a href="#">Email</a></div>')
        if rng.random() < 0.5:
            out.append('<aside><h4>Related</h4><ul>' + "".join(
                f'<li><a href="/story/r{i}{k}">{html.escape(rng.choice(stories)["headline"][:60])}</a></li>'
                for k in range(2)) + "</ul></aside>")
        out.append("</article>")
    out.append('</main><aside class="sidebar"><h3>Most read</h3><ol>' + "".join(
        f'<li><a href="/story/{k}">{html.escape(s["headline"])}</a></li>' for k, s in enumerate(stories[:3]))
        + "</ol></aside>")
    out.append(f'<footer><p>&copy; 2026 {site}. All rights reserved.</p><ul><li><a href="/about">About us</a></li>'
               '<li><a href="/privacy">Privacy</a></li><li><a href="/contact">Contact</a></li></ul></footer>')
    out.append("</body></html>")
    return "\n".join(out)


def html2text_converter(rng):
    """html2text as the renderings use it: unwrapped or wrapped at 78 columns, its default."""
    import html2text
    converter = html2text.HTML2Text()
    converter.body_width = rng.choice([0, 78])
    return converter


def render_html2text(stories, rng):
    return html2text_converter(rng).handle(html_page(stories, rng))


def render_inscriptis(stories, rng):
    from inscriptis import get_text
    return get_text(html_page(stories, rng))


def render_pandoc_html(stories, rng):
    import pypandoc
    return pypandoc.convert_text(html_page(stories, rng), "plain", format="html",
                                 extra_args=[f"--columns={rng.choice([72, 100])}"])


# ---------------------------------------------------------------------------------------------------- markdown


def render_pandoc_markdown(stories, rng):
    """Markdown clippings (headings, an italic source line, block quotes, links) rendered to plain text by
    pandoc."""
    import pypandoc
    parts = [f"# Clippings, {byline(rng)[1]}\n"]
    for i, story in enumerate(stories):
        name, date, _ = byline(rng)
        parts.append(f"## {story['headline']}\n\n*{rng.choice(['Reuters', 'AFP', 'AP', 'BBC'])} - {date}*\n")
        for k, paragraph in enumerate(story["paragraphs"]):
            if k == 2 and rng.random() < 0.3 and paragraph.startswith(("\"", "“")):
                parts.append(f"> {paragraph}\n")
            else:
                parts.append(f"{paragraph}\n")
        parts.append(f"[Source](https://example.org/story/{i})\n")
        if i + 1 < len(stories) and rng.random() < 0.5:
            parts.append("---\n")
    return pypandoc.convert_text("\n".join(parts), "plain", format="markdown",
                                 extra_args=[f"--columns={rng.choice([72, 80])}"])


# ---------------------------------------------------------------------------------------------------- PDF


def pdf_bulletin(stories, rng):
    """A bulletin typeset by reportlab: one or two columns, a running head and a page number on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

    title = rng.choice(["Humanitarian Bulletin", "Weekly News Digest", "Situation Overview", "Press Review"])
    issue = f"Issue {rng.randint(2, 90)} | {byline(rng)[1]}"
    page_label = rng.choice(["Page {n}", "- {n} -", "{n}", "Page {n} of {total}"])
    columns = rng.choice([1, 2])
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2.5 * cm,
                          bottomMargin=2.5 * cm)
    width = (doc.width - (columns - 1) * cm) / columns
    frames = [Frame(doc.leftMargin + k * (width + cm), doc.bottomMargin, width, doc.height, id=f"c{k}")
              for k in range(columns)]

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(doc.leftMargin, A4[1] - 1.5 * cm, f"{title} - {issue}")
        canvas.drawCentredString(A4[0] / 2, 1.5 * cm, page_label.format(n=doc.page, total="?"))
        canvas.restoreState()

    doc.addPageTemplates([PageTemplate(id="page", frames=frames, onPage=furniture)])
    styles = getSampleStyleSheet()
    flow = [Paragraph(html.escape(title), styles["Title"])]
    for story in stories:
        name, date, _ = byline(rng)
        flow.append(Paragraph(html.escape(story["headline"]), styles["Heading2"]))
        if rng.random() < 0.7:
            flow.append(Paragraph(f"<i>By {name}, {date}</i>", styles["Normal"]))
        for paragraph in story["paragraphs"]:
            flow.append(Paragraph(html.escape(paragraph), styles["BodyText"]))
        flow.append(Spacer(1, 12))
    doc.build(flow)
    return buffer.getvalue()


def render_pdfminer(stories, rng):
    from pdfminer.high_level import extract_text
    return extract_text(io.BytesIO(pdf_bulletin(stories, rng)))


def render_pypdf(stories, rng):
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf_bulletin(stories, rng)))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_paper(stories, rng, columns):
    """A newspaper-style page made with reportlab: a masthead, headlines in bold, a byline in capitals, paragraphs
    marked only by a first-line indent (no space between them; justified in one column, ragged in several, since
    PyMuPDF reads reportlab's justified words in narrow columns one per line), a running head with the date and a
    folio."""
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

    paper = rng.choice(["The Evening Ledger", "Valley Courier", "The Coastal Times", "Regional Observer"])
    date = byline(rng)[1]
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=letter, leftMargin=0.6 * inch, rightMargin=0.6 * inch,
                          topMargin=0.9 * inch, bottomMargin=0.7 * inch)
    gap = 0.25 * inch
    width = (doc.width - (columns - 1) * gap) / columns
    frames = [Frame(doc.leftMargin + k * (width + gap), doc.bottomMargin, width, doc.height, id=f"c{k}",
                    leftPadding=0, rightPadding=0) for k in range(columns)]

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont("Times-Roman", 8)
        canvas.drawString(doc.leftMargin, letter[1] - 0.55 * inch, f"{paper.upper()}  |  {date}")
        canvas.drawRightString(letter[0] - doc.rightMargin, letter[1] - 0.55 * inch, f"A{doc.page}")
        canvas.line(doc.leftMargin, letter[1] - 0.62 * inch, letter[0] - doc.rightMargin, letter[1] - 0.62 * inch)
        canvas.restoreState()

    doc.addPageTemplates([PageTemplate(id="page", frames=frames, onPage=furniture)])
    size = 9 if columns > 1 else 10.5
    body = ParagraphStyle("body", fontName="Times-Roman", fontSize=size, leading=size * 1.2,
                          alignment=TA_JUSTIFY if columns == 1 else TA_LEFT,
                          firstLineIndent=12, spaceBefore=0, spaceAfter=0)
    head = ParagraphStyle("head", fontName="Times-Bold", fontSize=size + 5, leading=size + 7, spaceBefore=10,
                          spaceAfter=3)
    credit = ParagraphStyle("credit", fontName="Helvetica", fontSize=size - 2, leading=size, spaceAfter=4)
    flow = [Paragraph(paper, ParagraphStyle("mast", fontName="Times-Bold", fontSize=22, leading=26, spaceAfter=8))]
    for story in stories:
        name, _, _ = byline(rng)
        flow.append(Paragraph(html.escape(story["headline"]), head))
        if rng.random() < 0.7:
            flow.append(Paragraph(f"BY {name.upper()}", credit))
        for k, paragraph in enumerate(story["paragraphs"]):
            style = body if k else ParagraphStyle("lead", parent=body, firstLineIndent=0)
            flow.append(Paragraph(html.escape(paragraph), style))
        flow.append(Spacer(1, 6))
    doc.build(flow)
    return buffer.getvalue()


def render_pymupdf(stories, rng):
    """A two- or three-column newspaper page (pdf_paper) extracted by PyMuPDF, page by page."""
    import pymupdf
    with pymupdf.open(stream=pdf_paper(stories, rng, rng.choice([2, 3])), filetype="pdf") as document:
        return "".join(page.get_text() for page in document)


def render_pdfplumber(stories, rng):
    """A one-column newspaper page (pdf_paper) extracted by pdfplumber, as plain lines or with its layout kept
    (text placed by its position on the page: indents, padded lines and blank lines for vertical space)."""
    import pdfplumber
    layout = rng.random() < 0.5
    with pdfplumber.open(io.BytesIO(pdf_paper(stories, rng, 1))) as document:
        return "\n".join(page.extract_text(layout=layout) or "" for page in document.pages)


# ---------------------------------------------------------------------------------------------------- e-mail


def render_mail(stories, rng):
    """A newsletter sent as a real MIME message (multipart/alternative, the text part quoted-printable), read
    back with the e-mail library: its headers, then the decoded text part."""
    list_name = rng.choice(["The Morning Brief", "Crisis Watch Daily", "World Roundup"])
    name, date, _ = byline(rng)
    lines = [f"{list_name} - {date}", "View this email in your browser", "", "IN THIS ISSUE"]
    lines += [f"* {s['headline']}" for s in stories] + [""]
    separator = rng.choice(["-" * 40, "* * *", "=" * 30, ""])
    for i, story in enumerate(stories):
        lines += [story["headline"].upper() if rng.random() < 0.3 else story["headline"], ""]
        for paragraph in story["paragraphs"]:
            lines += [paragraph, ""]
        lines += [f"Read more: https://news.example.org/s/{i}", ""]
        if separator:
            lines += [separator, ""]
    lines += ["You are receiving this because you subscribed to " + list_name + ".",
              "Unsubscribe: https://news.example.org/unsubscribe?u=123", "(c) 2026 Example Media"]
    message = EmailMessage()
    message["From"] = f"{list_name} <news@example.org>"
    message["To"] = "reader@example.net"
    message["Subject"] = f"{list_name}: {stories[0]['headline'][:50]}"
    message["Date"] = "Tue, 15 Sep 2026 06:00:00 +0000"
    message.set_content("\n".join(lines), cte="quoted-printable")
    message.add_alternative("<html><body>" + "".join(f"<p>{html.escape(l)}</p>" for l in lines if l)
                            + "</body></html>", subtype="html")
    raw = message.as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    head = "".join(f"{key}: {parsed[key]}\n" for key in ["From", "To", "Subject", "Date"])
    return head + "\n" + parsed.get_body(preferencelist=("plain",)).get_content()


# ---------------------------------------------------------------------------------------------------- DOCX


def word_report(stories, rng, path):
    """Saves a Word document at `path` (heading styles, an italic byline, a page header and footer)."""
    import docx
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Media monitoring report - internal"
    document.sections[0].footer.paragraphs[0].text = "Confidential"
    document.add_heading("Media monitoring report", level=0)
    for story in stories:
        name, date, _ = byline(rng)
        document.add_heading(story["headline"], level=rng.choice([1, 2]))
        run = document.add_paragraph().add_run(f"{rng.choice(['Reuters', 'AFP', 'Al Jazeera'])}, {date}")
        run.italic = True
        for paragraph in story["paragraphs"]:
            document.add_paragraph(paragraph)
    document.save(path)


def render_docx(stories, rng):
    """The Word document converted by pandoc."""
    import pypandoc
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.docx")
        word_report(stories, rng, path)
        return pypandoc.convert_file(path, "plain", extra_args=[f"--columns={rng.choice([72, 90])}"])


def render_python_docx(stories, rng):
    """The Word document read back with python-docx, its paragraphs' text one per line, as scripts commonly
    extract it: no blank lines, no heading marks, no header or footer."""
    import docx
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.docx")
        word_report(stories, rng, path)
        return "\n".join(paragraph.text for paragraph in docx.Document(path).paragraphs) + "\n"


# ---------------------------------------------------------------------------------------------------- web copy


def article_page(story, others, rng):
    """One story's own page on a news site: navigation, breadcrumbs, the headline, a byline, the body broken by an
    inline "Read also" box, a share bar, related stories, a comments teaser and a footer."""
    site = rng.choice(["The Daily Meridian", "Northgate News", "Harbour Post", "Global Desk"])
    section = rng.choice(SECTIONS)
    name, date, iso = byline(rng)
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in SECTIONS)
    headline = html.escape(story["headline"])
    out = [f"<!DOCTYPE html><html><head><title>{headline} | {site}</title>",
           f'<meta property="og:title" content="{headline}"><meta name="author" content="{name}">',
           f'<meta property="article:published_time" content="{iso}"></head><body>',
           f'<header><a class="logo" href="/">{site}</a><nav><ul>{nav}</ul></nav></header>',
           f'<main><ol class="breadcrumbs"><li><a href="/">Home</a></li><li><a href="/{section.lower()}">{section}'
           "</a></li></ol><article>",
           f"<h1>{headline}</h1>",
           f'<p class="byline">By <a href="/by/x">{name}</a> | <time datetime="{iso}">{date}</time></p>',
           '<div class="share">Share: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>',
           '<div class="article-body">']
    box = rng.randint(1, max(1, len(story["paragraphs"]) - 1))
    for k, paragraph in enumerate(story["paragraphs"]):
        if k == box and rng.random() < 0.5:
            out.append(f'<aside class="read-also"><b>Read also:</b> <a href="/r">'
                       f'{html.escape(rng.choice(others)["headline"])}</a></aside>')
        out.append(f"<p>{html.escape(paragraph)}</p>")
    out.append("</div>")
    if rng.random() < 0.5:
        out.append(f'<p class="tags">Topics: <a href="/t/1">{section}</a>, '
                   f'<a href="/t/2">{rng.choice(SECTIONS)}</a></p>')
    out.append("</article>")
    out.append('<section class="related"><h2>More from ' + section + "</h2><ul>" + "".join(
        f'<li><a href="/story/{k}">{html.escape(other["headline"])}</a></li>' for k, other in enumerate(others[:3]))
        + "</ul></section>")
    out.append('<section class="comments"><h2>Comments (12)</h2><p>Log in to join the conversation.</p></section>')
    out.append(f'</main><footer><p>&copy; 2026 {site}. All rights reserved.</p><ul><li><a href="/about">About us'
               '</a></li><li><a href="/privacy">Privacy</a></li></ul></footer></body></html>')
    return "\n".join(out)


def render_trafilatura(stories, rng):
    """Story pages saved one after the other as trafilatura extracts them (plain text or markdown, with or without
    its metadata front matter): the clippings a scraper or a research pipeline writes."""
    import trafilatura
    fmt, metadata = rng.choice(["txt", "markdown"]), rng.random() < 0.5
    pages = [article_page(story, [s for s in stories if s is not story], rng) for story in stories]
    return "\n\n".join(trafilatura.extract(page, output_format=fmt, with_metadata=metadata) or "" for page in pages)


def render_readability(stories, rng):
    """Story pages through readability-lxml (the reader view) and html2text, each under its page title, as a
    read-it-later export prints them."""
    from readability import Document
    converter = html2text_converter(rng)
    rule = rng.choice(["", "-" * 20, "* * *"])
    parts = []
    for story in stories:
        document = Document(article_page(story, [s for s in stories if s is not story], rng))
        parts.append(f"{document.title()}\n\n{converter.handle(document.summary()).strip()}\n")
        if rule:
            parts.append(rule + "\n")
    return "\n".join(parts)


def render_soup(stories, rng):
    """The front page's text as BeautifulSoup's get_text gives it, one text node per line: the naive scraper."""
    from bs4 import BeautifulSoup
    return BeautifulSoup(html_page(stories, rng), "lxml").get_text("\n", strip=True) + "\n"


def render_markdownify(stories, rng):
    """The front page as markdown by markdownify (links, list bullets and heading marks kept), as web clippers and
    text-for-language-model converters give it."""
    from markdownify import markdownify
    return markdownify(html_page(stories, rng), heading_style=rng.choice(["ATX", "UNDERLINED"]))


def render_blog(stories, rng):
    """A blog's archive page (posts grouped under day headings, each closed by a "Posted by ... | comments |
    Labels" footer, "Newer posts / Older posts" at the foot) converted to markdown by pandoc (GitHub or
    CommonMark flavour, with or without the raw `<div>` tags pandoc keeps), as a site converted for an archive
    or a language model gives it."""
    import pypandoc
    blog = rng.choice(["Field Dispatches", "The Long Read Blog", "Notes from the Newsroom", "Aid Worker Diaries"])
    out = [f'<html><body><header><h1><a href="/">{blog}</a></h1><p>Stories we are following</p></header>',
           '<nav><a href="/">Home</a> | <a href="/about">About</a> | <a href="/archive">Archive</a></nav><main>']
    day = None
    for i, story in enumerate(stories):
        name, date, _ = byline(rng)
        if day is None or rng.random() < 0.6:
            day = date
            weekday = rng.choice(["Monday", "Tuesday", "Friday"])
            out.append(f'<h2 class="date-header"><span>{weekday}, {day}</span></h2>')
        out.append(f'<div class="post"><h3 class="post-title"><a href="/{i}.html">'
                   f'{html.escape(story["headline"])}</a></h3>')
        out.append("".join(f"<p>{html.escape(p)}</p>" for p in story["paragraphs"]))
        out.append(f'<div class="post-footer">Posted by {name} at {rng.randint(1, 12)}:{rng.randint(0, 59):02d} '
                   f'{rng.choice(["AM", "PM"])} | <a href="/{i}.html#comments">{rng.randint(0, 9)} comments</a> | '
                   f'Labels: <a href="/l/1">{rng.choice(SECTIONS)}</a>, '
                   f'<a href="/l/2">{rng.choice(SECTIONS)}</a></div></div>')
    out.append('</main><p><a href="/newer">Newer posts</a> | <a href="/">Home</a> | '
               '<a href="/older">Older posts</a></p>'
               '<p>Subscribe to: Posts (Atom)</p></body></html>')
    flavour = rng.choice(["gfm", "commonmark"]) + rng.choice(["", "-raw_html"])
    return pypandoc.convert_text("\n".join(out), flavour, format="html",
                                 extra_args=["--wrap=" + rng.choice(["none", "auto"])])


# ---------------------------------------------------------------------------------------------------- newsletters


def newsletter_page(stories, rng):
    """An HTML-only newsletter laid out in nested tables as mail tools build them: a preheader, a masthead, an
    "In this issue" list, each story in its own row (a kicker, the headline, the text, a "Read more" link),
    spacer rows and a footer with the unsubscribe line."""
    name = rng.choice(["The Morning Brief", "Crisis Watch Weekly", "World Roundup", "Field Notes"])
    date = byline(rng)[1]
    cell = 'style="font-family:Arial,sans-serif;font-size:15px;line-height:22px;color:#333333;padding:0 24px"'
    out = ['<!DOCTYPE html><html><body style="margin:0;padding:0">',
           '<table width="100%" cellpadding="0" cellspacing="0" border="0" role="presentation"><tr><td align="center">',
           '<table width="600" cellpadding="0" cellspacing="0" border="0">',
           f'<tr><td style="font-size:11px;color:#999999">{html.escape(stories[0]["headline"][:60])}... | '
           '<a href="https://news.example.org/view">View in browser</a></td></tr>',
           f'<tr><td align="center"><h1 style="font-size:28px">{name}</h1><p>{date}</p></td></tr>']
    if rng.random() < 0.7:
        out.append(f"<tr><td {cell}><p><b>In this issue</b></p><ul>" + "".join(
            f'<li><a href="#s{i}">{html.escape(s["headline"])}</a></li>' for i, s in enumerate(stories))
            + "</ul></td></tr>")
    for i, story in enumerate(stories):
        out.append('<tr><td height="24" style="font-size:0;line-height:0">&nbsp;</td></tr>')
        out.append(f"<tr><td {cell}>")
        if rng.random() < 0.4:
            out.append(f'<p style="font-size:11px;text-transform:uppercase">{rng.choice(SECTIONS)}</p>')
        out.append(f'<h2 id="s{i}" style="font-size:20px"><a href="https://news.example.org/s/{i}">'
                   f'{html.escape(story["headline"])}</a></h2>')
        for paragraph in story["paragraphs"]:
            out.append(f"<p>{html.escape(paragraph)}</p>")
        more = rng.choice(["Read more", "Read more »", "Continue reading"])
        out.append(f'<p><a href="https://news.example.org/s/{i}">{more}</a></p></td></tr>')
        if rng.random() < 0.3:
            out.append('<tr><td align="center" style="background:#eeeeee;padding:12px"><p>ADVERTISEMENT</p>'
                       '<a href="https://ads.example.org/">Subscribe to our premium briefing</a></td></tr>')
        out.append('<tr><td><hr style="border:0;border-top:1px solid #dddddd"></td></tr>')
    out.append(f'<tr><td align="center" style="font-size:11px;color:#999999"><p>You are receiving {name} because '
               'you signed up on our website.</p><p><a href="https://news.example.org/unsubscribe">Unsubscribe</a> | '
               '<a href="https://news.example.org/prefs">Update preferences</a></p><p>Example Media, 1 Main Street, '
               "Springfield</p></td></tr></table></td></tr></table></body></html>")
    return "\n".join(out)


def render_newsletter_html2text(stories, rng):
    converter = html2text_converter(rng)
    converter.ignore_links = rng.random() < 0.5
    return converter.handle(newsletter_page(stories, rng))


def render_newsletter_inscriptis(stories, rng):
    from inscriptis import get_text
    return get_text(newsletter_page(stories, rng))


def render_mbox(stories, rng):
    """One wire or alert message per story in an mbox file (hard-wrapped at 72 or not, a signature below), read
    back with the mailbox module and printed one after another with their headers, the subject first, as a mail
    client saves or prints a selection of messages."""
    import mailbox
    import tempfile
    import textwrap
    from datetime import datetime, timezone
    from email.utils import format_datetime
    senders = ["Reuters Alerts <alerts@wire.example.com>", "AFP Desk <desk@afp.example.org>",
               "ReliefWeb Updates <updates@reliefweb.example.int>", "Newsroom <newsroom@example.net>"]
    width = rng.choice([0, 72])
    style = rng.choice(["saved", "printed"])
    with tempfile.TemporaryDirectory() as tmp:
        box = mailbox.mbox(os.path.join(tmp, "inbox.mbox"))
        for story in stories:
            when = datetime(2026, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59),
                            tzinfo=timezone.utc)
            body = [textwrap.fill(p, width) if width else p for p in story["paragraphs"]]
            message = EmailMessage()
            message["From"] = rng.choice(senders)
            message["To"] = "monitoring@example.org"
            message["Subject"] = story["headline"]
            message["Date"] = format_datetime(when)
            message.set_content("\n\n".join(body) + "\n\n-- \nSent by the news desk. Do not reply to this message.\n")
            box.add(message)
        box.flush()
        out = []
        for message in mailbox.mbox(os.path.join(tmp, "inbox.mbox")):
            parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
            if style == "saved":
                head = [f"Subject: {parsed['Subject']}", f"From: {parsed['From']}", f"Date: {parsed['Date']}",
                        f"To: {parsed['To']}"]
            else:
                head = [parsed["Subject"], "1 message", f"{parsed['From']}    {parsed['Date']}", f"To: {parsed['To']}"]
            out.append("\n".join(head) + "\n\n" + parsed.get_body(preferencelist=("plain",)).get_content())
        box.close()
    return ("\n\n" if style == "saved" else "\n" + "-" * 70 + "\n\n").join(out)


# ---------------------------------------------------------------------------------------------------- feeds and books


def render_feed(stories, rng):
    """An RSS 2.0 feed (title, link, date, author, summary and full content:encoded) parsed by feedparser and
    printed entry by entry, the body through html2text, as a feed reader's export gives it."""
    import feedparser
    from email.utils import format_datetime
    from datetime import datetime, timezone
    from xml.sax.saxutils import escape
    channel = rng.choice(["World News", "Humanitarian Updates", "Top Stories"])
    items = []
    for i, story in enumerate(stories):
        name, _, _ = byline(rng)
        when = datetime(2026, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), tzinfo=timezone.utc)
        content = "".join(f"<p>{html.escape(p)}</p>" for p in story["paragraphs"])
        items.append(f"<item><title>{escape(story['headline'])}</title><link>https://news.example.org/s/{i}</link>"
                     f"<guid>https://news.example.org/s/{i}</guid><pubDate>{format_datetime(when)}</pubDate>"
                     f"<dc:creator>{name}</dc:creator>"
                     f"<description>{escape(story['paragraphs'][0][:200])}...</description>"
                     f"<content:encoded><![CDATA[{content}]]></content:encoded></item>")
    xml = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
           'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
           f"<channel><title>{channel}</title><link>https://news.example.org/</link>"
           f"<description>{channel} from Example Media</description>{''.join(items)}</channel></rss>")
    feed = feedparser.parse(xml)
    converter = html2text_converter(rng)
    summary = rng.random() < 0.5
    out = [f"{feed.feed.title}\n{feed.feed.link}\n"]
    for entry in feed.entries:
        lines = [entry.title, entry.link, f"{entry.published} | {entry.author}"]
        if summary:
            lines.append(f"Summary: {entry.summary}")
        out.append("\n".join(lines) + "\n\n" + converter.handle(entry.content[0].value).strip() + "\n")
    return "\n".join(out)


def render_nitf(stories, rng):
    """An agency's feed file of NITF 3.x documents (docdata in attributes, hedline, byline, dateline, body
    paragraphs and a tagline), indented by lxml and stripped to its text nodes (`method="text"`), as a feed is
    turned to text when nobody writes a converter for it: the indentation stays as lines of spaces."""
    from lxml import etree
    feed = etree.Element("feed")
    for i, story in enumerate(stories):
        name, date, iso = byline(rng)
        place = rng.choice(["LONDON", "GENEVA", "NAIROBI", "NEW YORK", "JUBA", "BEIRUT"])
        nitf = etree.SubElement(feed, "nitf", version="-//IPTC//DTD NITF 3.6//EN")
        head = etree.SubElement(nitf, "head")
        docdata = etree.SubElement(head, "docdata")
        etree.SubElement(docdata, "doc-id", {"id-string": f"WIRE-{iso}-{i:04d}"})
        etree.SubElement(docdata, "date.issue", norm=iso.replace("-", "") + "T060000Z")
        body = etree.SubElement(nitf, "body")
        bodyhead = etree.SubElement(body, "body.head")
        etree.SubElement(etree.SubElement(bodyhead, "hedline"), "hl1").text = story["headline"]
        if rng.random() < 0.7:
            etree.SubElement(bodyhead, "byline").text = f"By {name}"
        etree.SubElement(bodyhead, "dateline").text = f"{place}, {date}"
        content = etree.SubElement(body, "body.content")
        for paragraph in story["paragraphs"]:
            etree.SubElement(content, "p").text = paragraph
        if rng.random() < 0.6:
            etree.SubElement(etree.SubElement(body, "body.end"), "tagline").text = (
                f"(Reporting by {name}; Editing by {rng.choice(NAMES)})")
    etree.indent(feed, space=rng.choice(["  ", "\t"]))
    return etree.tostring(feed, method="text", encoding="unicode")


def render_epub(stories, rng):
    """An e-book of the stories (one chapter each, with a navigation page) made with ebooklib, read back with
    ebooklib in spine order and turned to text by html2text."""
    import tempfile
    from ebooklib import ITEM_DOCUMENT, epub
    book = epub.EpubBook()
    book.set_identifier("digest-1")
    book.set_title(rng.choice(["News Digest", "Weekly Reader", "The Week in Review"]))
    book.set_language("en")
    chapters = []
    for i, story in enumerate(stories):
        name, date, _ = byline(rng)
        chapter = epub.EpubHtml(title=story["headline"], file_name=f"story{i}.xhtml", lang="en")
        chapter.content = (f"<h1>{html.escape(story['headline'])}</h1><p><i>{name} | {date}</i></p>"
                           + "".join(f"<p>{html.escape(p)}</p>" for p in story["paragraphs"]))
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav"] + chapters
    converter = html2text_converter(rng)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "digest.epub")
        epub.write_epub(path, book)
        read = epub.read_epub(path)
        documents = {item.get_id(): item for item in read.get_items_of_type(ITEM_DOCUMENT)}
        return "\n".join(converter.handle(documents[key].get_content().decode("utf-8"))
                         for key, _ in read.spine if key in documents)


def render_odt(stories, rng):
    """An OpenDocument text (written by pandoc from HTML: headings, a bold dateline, paragraphs) read back by
    pandoc as plain text, as an office export of a press review gives it."""
    import pypandoc
    import tempfile
    parts = [f"<h1>Press review, {byline(rng)[1]}</h1>"]
    for story in stories:
        name, date, _ = byline(rng)
        parts.append(f"<h2>{html.escape(story['headline'])}</h2><p><strong>{rng.choice(['Reuters', 'AFP', 'AP'])}"
                     f"</strong> | {date}</p>" + "".join(f"<p>{html.escape(p)}</p>" for p in story["paragraphs"]))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "review.odt")
        pypandoc.convert_text("".join(parts), "odt", format="html", outputfile=path)
        return pypandoc.convert_file(path, "plain", extra_args=[f"--columns={rng.choice([72, 90])}",
                                                                 "--wrap=" + rng.choice(["auto", "none"])])


# ---------------------------------------------------------------------------------------------------- exports


def render_csv(stories, rng):
    """A news database's export written by the csv module (comma- or tab-separated, a header row, one row per
    story: id, date, source, headline, body with its paragraphs inside one quoted field). Its file is named
    .csv (.tsv when tab-separated), so newsdigest reads it as records; each story's gold span is its row."""
    import csv
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=rng.choice([",", "\t"]), lineterminator="\n")
    writer.writerow(["id", "published", "source", "title", "body"])
    joiner = rng.choice(["\n\n", "\n"])
    for story in stories:
        _, _, iso = byline(rng)
        writer.writerow([rng.randint(10000, 99999), iso, rng.choice(["Reuters", "AFP", "AP", "BBC", "ReliefWeb"]),
                         story["headline"], joiner.join(story["paragraphs"])])
    return buffer.getvalue()


RENDERINGS = {
    "html2text": render_html2text,
    "inscriptis": render_inscriptis,
    "pandoc-html": render_pandoc_html,
    "pandoc-markdown": render_pandoc_markdown,
    "pdf-pdfminer": render_pdfminer,
    "pdf-pypdf": render_pypdf,
    "pdf-pymupdf": render_pymupdf,
    "pdf-pdfplumber": render_pdfplumber,
    "mail": render_mail,
    "docx-pandoc": render_docx,
    "docx-python-docx": render_python_docx,
    "web-trafilatura": render_trafilatura,
    "web-readability": render_readability,
    "web-soup": render_soup,
    "web-markdownify": render_markdownify,
    "blog-pandoc": render_blog,
    "newsletter-html2text": render_newsletter_html2text,
    "newsletter-inscriptis": render_newsletter_inscriptis,
    "mbox": render_mbox,
    "rss-feedparser": render_feed,
    "nitf-lxml": render_nitf,
    "epub": render_epub,
    "odt-pandoc": render_odt,
    "csv-export": render_csv,
}


def file_extension(rendering, text):
    """The extension a rendering's file is saved with: an export keeps the one its format has."""
    if rendering != "csv-export":
        return ".txt"
    return ".tsv" if "\t" in text.split("\n", 1)[0] else ".csv"


def row_spans(text, extension):
    """The (first, last) physical line of each row after the header of a CSV/TSV export."""
    import csv
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if extension == ".tsv" else ",")
    next(reader)
    spans, end = [], reader.line_num
    for _ in reader:
        spans.append((end + 1, reader.line_num))
        end = reader.line_num
    return spans


# ---------------------------------------------------------------------------------------------------- gold


def tokens(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def locate(stories, text):
    """Gold spans (1-based lines) of the stories in the tool's output, in order: from the headline printed nearest
    above the body's first words to the body's last words; None for a story whose first or last words cannot
    be found after the previous story's end."""
    stream = [(token, number) for number, line in enumerate(text.split("\n"), 1) for token in tokens(line)]
    words = [token for token, _ in stream]

    def find(needle, start):
        for at in range(start, len(words) - len(needle) + 1):
            if words[at:at + len(needle)] == needle:
                return at
        return None

    spans, cursor = [], 0
    for story in stories:
        head = tokens(story["headline"])[:8]
        lead = tokens(story["paragraphs"][0])[:8]
        tail = tokens(story["paragraphs"][-1])[-8:]
        body = find(lead, cursor)
        end = find(tail, body + len(lead)) if body is not None else None
        if body is None or end is None:
            spans.append(None)
            continue
        # The headline printed nearest above the body (a table of contents, a subject line or a "related"
        # list may print it earlier too); a story printed without its headline starts at its body.
        begin = body
        at = find(head, cursor)
        while at is not None and at < body:
            begin = at
            at = find(head, at + 1)
        last = end + len(tail) - 1
        spans.append((stream[begin][1], stream[last][1]))
        cursor = last + 1
    return spans


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--out", default="target/realworld")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dumps", type=int, default=4, help="dumps per rendering")
    parser.add_argument("--stories", type=int, default=6, help="stories per dump")
    parser.add_argument("--split", choices=["validation", "train"], default="validation",
                        help="validation: cnndm and validation-split stories (the check); train: training-split "
                             "xsum and reliefweb stories only (to train on)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.split == "validation":
        stories = load_stories(args.data, rng, {"cnndm": 24, "xsum": 12, "reliefweb": 12})
    else:
        # A pool as varied as the dumps drawn from it: every story at most about twice.
        pool = max(48, args.dumps * args.stories * len(RENDERINGS) // 2)
        stories = load_stories(args.data, rng, {"xsum": pool // 2, "reliefweb": pool - pool // 2}, "train")
    gold, dropped = [], 0
    print(f"{'rendering':<16} {'dumps':>5} {'stories':>8} {'located':>8}")
    for rendering, render in RENDERINGS.items():
        folder = os.path.join(args.out, rendering)
        os.makedirs(folder, exist_ok=True)
        located = total = 0
        for n in range(args.dumps):
            local = random.Random(f"{args.seed}/{rendering}/{n}")
            picked = local.sample(stories, args.stories)
            text = render(picked, local).replace("\r\n", "\n")
            extension = file_extension(rendering, text)
            name = f"{rendering}-{n + 1:03d}{extension}"
            with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                f.write(text)
            spans = locate(picked, text)
            if extension != ".txt" and spans != row_spans(text, extension):
                print(f"warning: {name}: gold spans {spans} are not its rows {row_spans(text, extension)}",
                      file=sys.stderr)
            for k, (story, span) in enumerate(zip(picked, spans)):
                total += 1
                if span is None:
                    continue
                located += 1
                gold.append({"dump": name, "family": rendering, "id": f"{name}#{k + 1}",
                             "source": story["id"], "start_line": span[0], "end_line": span[1],
                             "title": story["headline"]})
        dropped += total - located
        print(f"{rendering:<16} {args.dumps:>5} {total:>8} {located:>8}")
    with open(os.path.join(args.out, "gold.jsonl"), "w", encoding="utf-8") as f:
        for record in gold:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"gold: {len(gold)} stories located, {dropped} left out (words not found in order)")


if __name__ == "__main__":
    sys.exit(main())
