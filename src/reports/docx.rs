//! A short letter as a .docx (WordprocessingML in a zip: three parts), in the usual
//! layout of union letters: the unit and the motto side by side, the date, the heading
//! and subject, "Kính gửi", the content, then "Nơi nhận" beside the signature. Times New
//! Roman 13 pt; any text (Vietnamese included) is written as UTF-8 XML, escaped.

use std::io::{Cursor, Write};

use crate::core::conversation::Letter;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// Text safe inside an XML element: escaped, and without the control characters XML
/// 1.0 does not allow.
fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Center,
    Both,
}

#[derive(Clone, Copy, Default)]
struct Style {
    bold: bool,
    italic: bool,
    /// Half-points; 0: 13 pt.
    size: u32,
}

/// One paragraph; each line of `text` on its own line (a break between them).
fn para(text: &str, align: Align, style: Style, indent: bool) -> String {
    let jc = match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Both => "both",
    };
    let ind = if indent {
        r#"<w:ind w:firstLine="567"/>"#
    } else {
        ""
    };
    let mut rpr = String::from(
        r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>"#,
    );
    if style.bold {
        rpr.push_str("<w:b/>");
    }
    if style.italic {
        rpr.push_str("<w:i/>");
    }
    let size = if style.size > 0 { style.size } else { 26 };
    rpr.push_str(&format!(r#"<w:sz w:val="{size}"/>"#));
    let runs: Vec<String> = text
        .split('\n')
        .map(|line| format!(r#"<w:t xml:space="preserve">{}</w:t>"#, xml_text(line)))
        .collect();
    format!(
        r#"<w:p><w:pPr><w:spacing w:after="60"/>{ind}<w:jc w:val="{jc}"/></w:pPr><w:r><w:rPr>{rpr}</w:rPr>{}</w:r></w:p>"#,
        runs.join("<w:br/>")
    )
}

/// Two cells side by side, without borders.
fn two_columns(left: &str, right: &str) -> String {
    let cell = |w: u32, body: &str| {
        format!(r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>{body}</w:tc>"#)
    };
    format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="9360" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid><w:gridCol w:w="4000"/><w:gridCol w:w="5360"/></w:tblGrid><w:tr>{}{}</w:tr></w:tbl>"#,
        cell(4000, left),
        cell(5360, right)
    )
}

/// The word/document.xml of `l`.
pub fn document_xml(l: &Letter) -> String {
    let bold = Style {
        bold: true,
        ..Style::default()
    };
    let italic = Style {
        italic: true,
        ..Style::default()
    };
    let mut body = String::new();
    let right = {
        let mut r = para(&l.motto.join("\n"), Align::Center, bold, false);
        r.push_str(&para(&l.date_line, Align::Center, italic, false));
        r
    };
    body.push_str(&two_columns(
        &para(&l.from, Align::Center, bold, false),
        &right,
    ));
    body.push_str(&para("", Align::Left, Style::default(), false));
    body.push_str(&para(
        &l.heading,
        Align::Center,
        Style {
            bold: true,
            size: 28,
            ..Style::default()
        },
        false,
    ));
    body.push_str(&para(&l.subject, Align::Center, bold, false));
    if let Some(to) = &l.to {
        body.push_str(&para(to, Align::Center, Style::default(), false));
    }
    for p in &l.body {
        body.push_str(&para(p, Align::Both, Style::default(), true));
    }
    body.push_str(&para("", Align::Left, Style::default(), false));
    let mut left = para(
        &l.recipients_head,
        Align::Left,
        Style {
            bold: true,
            italic: true,
            size: 24,
        },
        false,
    );
    for r in &l.recipients {
        left.push_str(&para(
            r,
            Align::Left,
            Style {
                size: 22,
                ..Style::default()
            },
            false,
        ));
    }
    body.push_str(&two_columns(
        &left,
        &para(&l.signer, Align::Center, bold, false),
    ));
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

/// The letter as a .docx file.
pub fn letter(l: &Letter) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut buf = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        for (name, text) in [
            ("[Content_Types].xml", CONTENT_TYPES.to_string()),
            ("_rels/.rels", RELS.to_string()),
            ("word/document.xml", document_xml(l)),
        ] {
            z.start_file(name, opts)?;
            z.write_all(text.as_bytes())?;
        }
        z.finish()?;
    }
    Ok(buf.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letter_reads_back_with_its_vietnamese_intact() {
        let l = Letter {
            from: "CÔNG ĐOÀN CƠ SỞ <ABC> & CO".into(),
            motto: vec![
                "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
                "Độc lập - Tự do - Hạnh phúc".into(),
            ],
            date_line: "Ngày 5 tháng 12 năm 2026".into(),
            heading: "BÁO CÁO".into(),
            subject: "Kết quả tuyên truyền".into(),
            to: Some("Kính gửi: Công đoàn Khu chế xuất".into()),
            body: vec!["1. Số buổi: 22\u{0}".into(), "dòng một\ndòng hai".into()],
            recipients_head: "Nơi nhận:".into(),
            recipients: vec!["- Như trên;".into(), "- Lưu.".into()],
            signer: "TM. BAN CHẤP HÀNH".into(),
            ..Letter::default()
        };
        let bytes = letter(&l).expect("docx");
        let text = crate::core::directive::docx_to_text(&bytes).expect("readable");
        for want in [
            "CÔNG ĐOÀN CƠ SỞ <ABC> & CO",
            "Độc lập - Tự do - Hạnh phúc",
            "Kính gửi: Công đoàn Khu chế xuất",
            "1. Số buổi: 22\n",
            "Nơi nhận:",
            "TM. BAN CHẤP HÀNH",
        ] {
            assert!(text.contains(want), "{want}: {text}");
        }
        let xml = document_xml(&l);
        assert!(xml.contains("&lt;ABC&gt; &amp; CO"), "{xml}");
        assert!(!xml.contains('\u{0}'));
    }
}
