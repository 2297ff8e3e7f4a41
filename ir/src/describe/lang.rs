//! The language rules are said in, and the small words that change with
//! it. Chosen once per document, page or hover from the referential's
//! `lang`, so every sentence of one output speaks the same language.

use crate::Ir;

/// English or French.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lang {
    pub fr: bool,
}

impl Lang {
    /// The referential's language: French when it says `lang fr`, English
    /// otherwise (the two languages the toolchain writes).
    pub fn of(ir: &Ir) -> Self {
        Lang {
            fr: ir.referential.lang == "fr",
        }
    }

    /// The English or the French text.
    pub fn t(self, en: &'static str, fr: &'static str) -> &'static str {
        if self.fr {
            fr
        } else {
            en
        }
    }

    /// The language tag (`en`, `fr`), as an HTML `lang` attribute wants it.
    pub fn code(self) -> &'static str {
        self.t("en", "fr")
    }

    /// "A, B and C" / "A, B et C".
    pub fn list(self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), self.t("and", "et")),
        }
    }

    /// A number as people of the language write it: `5,5` in French.
    pub fn number(self, n: f64) -> String {
        let text = if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            format!("{}", (n * 1000.0).round() / 1000.0)
        };
        if self.fr {
            text.replace('.', ",")
        } else {
            text
        }
    }

    /// A number of the referential as written, with the language's decimal
    /// separator (`0,5` in French).
    pub fn decimal(self, n: crate::Decimal) -> String {
        let text = n.to_string();
        if self.fr {
            text.replace('.', ",")
        } else {
            text
        }
    }

    /// French puts a narrow no-break space before a colon.
    pub fn colon(self) -> &'static str {
        self.t(":", "\u{202f}:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_lists_follow_the_language() {
        let fr = Lang { fr: true };
        let en = Lang { fr: false };
        assert_eq!(fr.number(5.5), "5,5");
        assert_eq!(en.number(5.5), "5.5");
        assert_eq!(fr.number(20.0), "20");
        assert_eq!(en.list(&["a".into(), "b".into(), "c".into()]), "a, b and c");
        assert_eq!(fr.list(&["a".into(), "b".into()]), "a et b");
        assert_eq!(fr.colon(), "\u{202f}:");
    }
}
