//! The Word and OpenDocument readers on files written by a real converter
//! (pandoc, see `tests/fixtures/transcripts/README.md`) and on hand-written
//! documents for the cases that converter does not write.

use super::zipguard::tests::zip_of;
use super::{docx, odt};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/transcripts/");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}{name}")).unwrap()
}

/// What pandoc's `.docx` and `.odt` of `entretien.md` both read as.
const ENTRETIEN: &str = "\
Entretien 3 — Créteil
INT: Bonjour, merci d’avoir accepté cet entretien. Pouvez-vous décrire votre poste ?
P1: Je suis aide-soignante de nuit depuis six ans, à l’hôpital de Créteil.
Les nuits sont longues, on est deux pour trente lits.
Deux pour trente, vous imaginez ?
INT: Et les relations avec les familles ?
[Nadia Benali] Parfois tendues. Une fois, un fils m’a crié dessus : « vous ne faites rien ».
[Rires]
";

#[test]
fn pandoc_docx_reads_as_speaker_turns() {
    let (text, notes) = docx::convert(&fixture("entretien.docx")).unwrap();
    assert_eq!(text, ENTRETIEN);
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn pandoc_odt_reads_like_the_docx() {
    let (text, notes) = odt::convert(&fixture("entretien.odt")).unwrap();
    assert_eq!(text, ENTRETIEN);
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn tracked_changes_are_accepted_and_comments_reported() {
    let (text, notes) = docx::convert(&fixture("revise.docx")).unwrap();
    assert_eq!(
        text,
        "INT: Vous travaillez de nuit ?\nP1: Oui, depuis six ans.\nINT: Et les week-ends ?\n"
    );
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0].contains("1 insertion, 1 deletion)"),
        "{}",
        notes[0]
    );
    assert!(
        notes[0].contains("insertions and moved text kept"),
        "{}",
        notes[0]
    );
    assert!(notes[1].contains("1 comment"), "{}", notes[1]);
}

fn word(body: &str) -> Vec<u8> {
    let xml = format!(
        r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    zip_of(&[("word/document.xml", xml.as_bytes())])
}

#[test]
fn moves_formatting_changes_and_bold_off() {
    let body = r#"
<w:p><w:r><w:rPr><w:b w:val="0"/><w:rPrChange w:id="3"><w:rPr><w:b/></w:rPr></w:rPrChange></w:rPr><w:t>Plain</w:t></w:r><w:r><w:t xml:space="preserve"> words&amp;more</w:t></w:r></w:p>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>P2</w:t></w:r><w:r><w:tab/><w:t>moved</w:t></w:r><w:moveTo w:id="5"><w:r><w:t xml:space="preserve"> here</w:t></w:r></w:moveTo></w:p>
<w:p/>
<w:p><w:moveFrom w:id="4"><w:r><w:t>gone</w:t></w:r></w:moveFrom><w:r><w:t>kept</w:t></w:r><w:r><w:br w:type="page"/><w:instrText>PAGE</w:instrText></w:r></w:p>"#;
    let (text, notes) = docx::convert(&word(body)).unwrap();
    assert_eq!(text, "Plain words&more\nP2: moved here\n\nkept\n");
    assert!(notes[0].contains("(1 move)"), "{notes:?}");
}

#[test]
fn damaged_documents_name_the_part() {
    let err = docx::convert(&word("<w:p><w:r><w:t>open</w:r></w:p>")).unwrap_err();
    assert!(
        err.starts_with("word/document.xml: malformed XML at byte"),
        "{err}"
    );
    let err = docx::convert(&zip_of(&[("other.xml", b"<x/>")])).unwrap_err();
    assert!(err.contains("has no word/document.xml"), "{err}");
    let err = docx::convert(b"plain text, not a zip").unwrap_err();
    assert!(err.contains("cannot be read as a zip archive"), "{err}");
    let err = odt::convert(&zip_of(&[("../content.xml", b"<x/>")])).unwrap_err();
    assert!(err.contains("outside the archive"), "{err}");
}

#[test]
fn odt_tracked_changes_comments_and_spaces() {
    let xml = r#"<?xml version="1.0"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:automatic-styles><style:style style:name="T9" style:family="text"><style:text-properties fo:font-weight="700"/></style:style></office:automatic-styles>
<office:body><office:text>
<text:tracked-changes>
  <text:changed-region text:id="ct1"><text:insertion><office:change-info><dc:creator>R</dc:creator></office:change-info></text:insertion></text:changed-region>
  <text:changed-region text:id="ct2"><text:deletion><office:change-info><dc:creator>R</dc:creator></office:change-info><text:p>cinq ans</text:p></text:deletion></text:changed-region>
</text:tracked-changes>
<text:p><text:span text:style-name="T9">P1</text:span>   Oui,<text:s text:c="2"/>depuis <text:change-start text:change-id="ct1"/>six ans<text:change-end text:change-id="ct1"/><text:change text:change-id="ct2"/>.<office:annotation><dc:creator>R</dc:creator><text:p>Vérifier</text:p></office:annotation></text:p>
<text:p/><text:p>Before <draw:frame><draw:text-box><text:p>Boxed</text:p></draw:text-box></draw:frame>after</text:p><text:list><text:list-item><text:p>In a list<text:tab/>tabbed<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>A note</text:p></text:note-body></text:note></text:p></text:list-item></text:list>
</office:text></office:body></office:document-content>"#;
    let (text, notes) = odt::convert(&zip_of(&[("content.xml", xml.as_bytes())])).unwrap();
    assert_eq!(
        text,
        "P1: Oui,  depuis six ans.\n\nBoxed\nBefore after\nIn a list\ttabbed\n"
    );
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(notes[0].contains("1 insertion, 1 deletion") && notes[0].contains("deletions dropped"));
    assert!(notes[1].contains("1 comment"));
    assert!(notes[2].contains("1 footnote"));
}
