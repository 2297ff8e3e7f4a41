//! The keyword table against the grammar: the table holds exactly the
//! grammar's keywords, completion offers at the start of a line in each
//! item exactly the keywords its members may start with, and the rule
//! forms are exactly what a rule or a set may start with. The grammar is
//! read with a small reader of pest's notation, enough for acquis.pest.

use std::collections::{BTreeMap, BTreeSet};

use super::{line_starts, KEYWORDS, LINE_STARTS, RULE_FORMS};

const GRAMMAR: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../grammar/src/acquis.pest"
));

/// Each item whose body completion knows, with the grammar's rule for one
/// member of that body (`None`: the top level and its items).
const BODIES: &[(Option<&str>, &str)] = &[
    (None, "strict_item"),
    (Some("referential"), "strict_referential_member"),
    (Some("scale"), "strict_scale_member"),
    (Some("defaults"), "strict_default_member"),
    (Some("block"), "strict_block_member"),
    (Some("situation"), "strict_situation_member"),
    (Some("competency"), "strict_competency_member"),
    (Some("criterion"), "strict_criterion_member"),
    (Some("assessment"), "strict_assessment_member"),
    (Some("jointly"), "strict_jointly_member"),
    (Some("part"), "strict_part_member"),
    (Some("example"), "strict_example_member"),
    (Some("equivalence"), "strict_equivalence_member"),
    (Some("dispensation"), "strict_dispensation_member"),
];

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Name(String),
    /// A string literal's text between its quotes, escapes left as written.
    Literal(String),
    Punct(char),
}

/// pest's notation as tokens; `//` comment lines are left out.
fn tokens(grammar: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for line in grammar
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
    {
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c.is_whitespace() {
                continue;
            }
            if c == '"' {
                let mut text = String::new();
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => {
                            text.push(d);
                            text.extend(chars.next());
                        }
                        _ => text.push(d),
                    }
                }
                out.push(Token::Literal(text));
            } else if c.is_ascii_alphanumeric() || c == '_' {
                let mut name = c.to_string();
                while let Some(&d) = chars.peek() {
                    if !(d.is_ascii_alphanumeric() || d == '_') {
                        break;
                    }
                    name.push(d);
                    chars.next();
                }
                out.push(Token::Name(name));
            } else {
                out.push(Token::Punct(c));
            }
        }
    }
    out
}

/// The rules of the grammar: name → the tokens of its body.
fn rules(grammar: &str) -> BTreeMap<String, Vec<Token>> {
    let tokens = tokens(grammar);
    let mut rules = BTreeMap::new();
    let mut i = 0;
    while i < tokens.len() {
        let (Some(Token::Name(name)), Some(Token::Punct('='))) = (tokens.get(i), tokens.get(i + 1))
        else {
            i += 1;
            continue;
        };
        let mut j = i + 2;
        // A modifier: silent (`_`, read as a name), atomic, compound, non-atomic.
        let modifier = match tokens.get(j) {
            Some(Token::Name(m)) => m == "_",
            Some(Token::Punct(m)) => matches!(m, '@' | '$' | '!'),
            _ => false,
        };
        if modifier {
            j += 1;
        }
        if tokens.get(j) != Some(&Token::Punct('{')) {
            i += 1;
            continue;
        }
        let mut depth = 0;
        let mut body = Vec::new();
        for token in &tokens[j..] {
            match token {
                Token::Punct('{') => depth += 1,
                Token::Punct('}') => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
            body.push(token.clone());
        }
        j += body.len() + 1;
        body.remove(0);
        rules.insert(name.clone(), body);
        i = j;
    }
    rules
}

/// A parsing expression, as far as the first tokens need it.
#[derive(Debug)]
enum Expr {
    Literal(String),
    Rule(String),
    Sequence(Vec<Expr>),
    Choice(Vec<Expr>),
    /// `e?` or `e*`: may match nothing.
    Optional(Box<Expr>),
    /// `!e` or `&e`: reads nothing.
    Lookahead,
}

/// Reads the expression of a rule's body.
struct Reader<'t> {
    tokens: &'t [Token],
    at: usize,
    /// Tokens this reader does not know, which the test refuses.
    unknown: Vec<String>,
}

impl Reader<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn choice(&mut self) -> Expr {
        let mut options = vec![self.sequence()];
        while self.peek() == Some(&Token::Punct('|')) {
            self.at += 1;
            options.push(self.sequence());
        }
        Expr::Choice(options)
    }

    fn sequence(&mut self) -> Expr {
        let mut terms = vec![self.term()];
        while self.peek() == Some(&Token::Punct('~')) {
            self.at += 1;
            terms.push(self.term());
        }
        Expr::Sequence(terms)
    }

    fn term(&mut self) -> Expr {
        if matches!(self.peek(), Some(Token::Punct('!' | '&'))) {
            self.at += 1;
            self.term();
            return Expr::Lookahead;
        }
        let token = self.peek().cloned();
        self.at += 1;
        let mut expr = match token {
            Some(Token::Literal(text)) => Expr::Literal(text),
            Some(Token::Name(name)) => Expr::Rule(name),
            Some(Token::Punct('(')) => {
                let inner = self.choice();
                self.at += 1; // `)`
                inner
            }
            other => {
                self.unknown.push(format!("{other:?}"));
                Expr::Lookahead
            }
        };
        while let Some(Token::Punct(suffix @ ('?' | '*' | '+'))) = self.peek() {
            if *suffix != '+' {
                expr = Expr::Optional(Box::new(expr));
            }
            self.at += 1;
        }
        expr
    }
}

struct Grammar {
    rules: BTreeMap<String, Vec<Token>>,
}

impl Grammar {
    fn read() -> Grammar {
        let rules = rules(GRAMMAR);
        assert!(rules.len() > 100, "acquis.pest was not read: {rules:?}");
        Grammar { rules }
    }

    fn expr(&self, rule: &str) -> Option<Expr> {
        let tokens = self.rules.get(rule)?;
        let mut reader = Reader {
            tokens,
            at: 0,
            unknown: Vec::new(),
        };
        let expr = reader.choice();
        assert!(reader.unknown.is_empty(), "{rule}: {:?}", reader.unknown);
        Some(expr)
    }

    /// The words a rule may start with, following rules down (pest's
    /// built-in rules start with no word).
    fn first_words(&self, rule: &str) -> BTreeSet<String> {
        let mut words = BTreeSet::new();
        if let Some(expr) = self.expr(rule) {
            self.first(&expr, &mut words, 0);
        }
        words
    }

    /// Adds the words `expr` may start with; says whether it may match
    /// nothing.
    fn first(&self, expr: &Expr, words: &mut BTreeSet<String>, depth: usize) -> bool {
        assert!(depth < 100, "the grammar recurses without reading");
        match expr {
            Expr::Literal(text) => {
                if is_word(text) {
                    words.insert(text.clone());
                }
                text.is_empty()
            }
            Expr::Rule(name) => match self.expr(name) {
                Some(inner) => self.first(&inner, words, depth + 1),
                None => false,
            },
            Expr::Sequence(terms) => terms.iter().all(|t| self.first(t, words, depth)),
            Expr::Choice(options) => {
                // Every option, not only up to one that may match nothing.
                let mut empty = false;
                for option in options {
                    empty |= self.first(option, words, depth);
                }
                empty
            }
            Expr::Optional(inner) => {
                self.first(inner, words, depth);
                true
            }
            Expr::Lookahead => true,
        }
    }

    /// The keywords: every word the grammar reads as a token that must
    /// not run into an identifier (`"word" ~ !ident_char`), and the words
    /// of the `keyword` rule, which a name inside a rule cannot be.
    fn keywords(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (name, body) in &self.rules {
            for (i, token) in body.iter().enumerate() {
                let Token::Literal(text) = token else {
                    continue;
                };
                let guarded = body.get(i + 1..i + 4)
                    == Some(&[
                        Token::Punct('~'),
                        Token::Punct('!'),
                        Token::Name("ident_char".into()),
                    ]);
                if is_word(text) && (guarded || name == "keyword") {
                    out.insert(text.clone());
                }
            }
        }
        out
    }
}

fn is_word(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_lowercase())
}

fn words(keywords: &[super::Keyword]) -> BTreeSet<String> {
    keywords.iter().map(|k| k.word.to_string()).collect()
}

#[test]
fn the_table_holds_exactly_the_keywords_of_the_grammar() {
    let grammar = Grammar::read().keywords();
    assert!(grammar.len() > 50, "{grammar:?}");
    assert_eq!(words(KEYWORDS).len(), KEYWORDS.len(), "a keyword twice");
    assert_eq!(words(KEYWORDS), grammar);
}

#[test]
fn completion_offers_at_the_start_of_a_line_what_a_member_may_start_with_there() {
    let grammar = Grammar::read();
    for (item, rule) in BODIES {
        let offered = line_starts(*item);
        assert_eq!(
            words(offered).len(),
            offered.len(),
            "{item:?}: a keyword twice"
        );
        assert_eq!(
            words(offered),
            grammar.first_words(rule),
            "{item:?} ({rule})"
        );
    }
    // Every body of the table and of the grammar is checked above.
    for (item, _) in LINE_STARTS {
        let item = item.map(|k| k.word);
        assert!(BODIES.iter().any(|(i, _)| *i == item), "{item:?}");
    }
    for rule in grammar.rules.keys().filter(|r| r.starts_with("strict_")) {
        assert!(BODIES.iter().any(|(_, r)| r == rule), "{rule}");
    }
}

#[test]
fn the_rule_forms_are_what_a_rule_or_a_set_may_start_with() {
    let grammar = Grammar::read();
    let keywords = grammar.keywords();
    let mut starts = grammar.first_words("expr");
    starts.extend(grammar.first_words("set"));
    let mut offered = BTreeSet::new();
    for (form, keyword) in RULE_FORMS {
        let mut form_words = form.split(' ');
        assert_eq!(form_words.next(), Some(keyword.word), "{form}");
        offered.insert(keyword.word.to_string());
        for word in form.split(' ') {
            assert!(keywords.contains(word), "{form}: `{word}` is not a keyword");
        }
    }
    assert_eq!(offered, starts);
}
