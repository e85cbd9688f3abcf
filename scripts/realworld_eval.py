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

    realworld_eval.py --data ../shared/data --out target/realworld [--seed 7] [--dumps 4] [--stories 6]
                      [--split validation|train]

Writes OUT/<rendering>/<rendering>-NNN.txt, OUT/gold.jsonl (`{dump, family, id, start_line, end_line, title}`, lines
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


def render_html2text(stories, rng):
    import html2text
    converter = html2text.HTML2Text()
    converter.body_width = rng.choice([0, 78])
    return converter.handle(html_page(stories, rng))


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


def render_docx(stories, rng):
    """A Word document (heading styles, an italic byline, a page header and footer) converted by pandoc."""
    import docx
    import pypandoc
    import tempfile
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
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.docx")
        document.save(path)
        return pypandoc.convert_file(path, "plain", extra_args=[f"--columns={rng.choice([72, 90])}"])


RENDERINGS = {
    "html2text": render_html2text,
    "inscriptis": render_inscriptis,
    "pandoc-html": render_pandoc_html,
    "pandoc-markdown": render_pandoc_markdown,
    "pdf-pdfminer": render_pdfminer,
    "pdf-pypdf": render_pypdf,
    "mail": render_mail,
    "docx-pandoc": render_docx,
}


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
            name = f"{rendering}-{n + 1:03d}.txt"
            with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                f.write(text)
            for k, (story, span) in enumerate(zip(picked, locate(picked, text))):
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
