//! Words as people type them in grade files and spreadsheets.

/// Lower case, French accents and ligatures taken off, runs of spaces,
/// hyphens and underscores as one `_`, none at either end.
pub fn fold_word(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' | 'ì' => "i",
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ÿ' | 'ý' => "y",
            'ç' => "c",
            'ñ' => "n",
            'œ' => "oe",
            'æ' => "ae",
            ' ' | '-' | '_' | '\'' | '’' | '\u{a0}' | '\u{202f}' => {
                if !out.ends_with('_') {
                    out.push('_');
                }
                continue;
            }
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(plain);
    }
    out.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn case_accents_and_spaces_aside() {
        assert_eq!(
            super::fold_word("  En cours d’acquisition "),
            "en_cours_d_acquisition"
        );
        assert_eq!(
            super::fold_word("EN COURS D ACQUISITION"),
            "en_cours_d_acquisition"
        );
        assert_eq!(super::fold_word("NON-ACQUIS"), "non_acquis");
        assert_eq!(super::fold_word("Maîtrisé"), "maitrise");
    }
}
