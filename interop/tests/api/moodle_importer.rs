//! Moodle's competency framework import (tool_lpimportcsv), reproduced in
//! Rust for the tests: what Moodle does with the CSV of `acquis export
//! moodle`, step by step, with the checks it makes and the places where it
//! drops something without a word. Read from Moodle 3.11.5's source (the
//! same code in moodle/moodle's main branch, where `clean_param` moved to
//! `core\param` in 4.4 with the same rules); each step cites its file and
//! lines:
//!
//! - `lib/csvlib.class.php` `csv_import_reader::load_csv_content` (92-187):
//!   the text is trimmed, `\r\n` made `\n`, each record read by PHP's
//!   `fgetcsv` (comma, `"`, escape `\`), blank lines skipped, every record
//!   must have as many fields as the header (`csvweirdcolumns`), then stored
//!   with `fputcsv` and read back by `init` (223-238, skips the header) and
//!   `next` (245-254), again with `fgetcsv`;
//! - `admin/tool/lpimportcsv/classes/form/import_confirm.php`: columns are
//!   mapped by position (header N is column N), not by name;
//! - `admin/tool/lpimportcsv/classes/framework_importer.php`: reading
//!   (223-263), the tree (295-303), competencies (320-349), scales
//!   (359-363, 372-398), related competencies (407-422), rules (429-447),
//!   the framework (454-466);
//! - `competency/classes/competency_rule_points.php` `validate_config`
//!   (109-183) and `migrate_config` (201-217), `competency_rule_all.php`
//!   `validate_config` (80-82);
//! - `competency/classes/competency.php` and `competency_framework.php`:
//!   the properties and their validation; `lib/classes/persistent.php`
//!   `validate` (673-730);
//! - `lib/moodlelib.php`: `validate_param` (724-751), `clean_param`
//!   `PARAM_INT` (838-840), `PARAM_BOOL` (870-880), `PARAM_TEXT` (887-),
//!   `shorten_text` (8380-).
//!
//! Not reproduced: `PARAM_CLEANHTML` on descriptions (HTML Purifier; the
//! persistent applies it silently, 701-704), permissions, events.

use serde_json::Value;

/// Moodle's `FORMAT_*` constants (`lib/weblib.php` 42-65): the choices of
/// `descriptionformat` (`competency.php` 74).
const FORMATS: [i64; 4] = [1, 0, 2, 4];
/// `competency::OUTCOME_*` (`competency.php` 45-51), the choices of
/// `ruleoutcome` (91).
const OUTCOMES: [i64; 4] = [0, 1, 2, 3];
/// `competency_framework::TAXONOMY_*` (`competency_framework.php` 46-66).
const TAXONOMIES: [&str; 11] = [
    "behaviour",
    "competency",
    "concept",
    "domain",
    "indicator",
    "level",
    "outcome",
    "practice",
    "proficiency",
    "skill",
    "value",
];
const RULE_ALL: &str = "core_competency\\competency_rule_all";
const RULE_POINTS: &str = "core_competency\\competency_rule_points";

/// What Moodle holds after an import: the framework, its competencies (by
/// database id, from 1), the related pairs, and the scales it created.
#[derive(Debug, Default)]
pub struct Site {
    pub framework: Option<Framework>,
    pub competencies: Vec<Competency>,
    pub related: Vec<(usize, usize)>,
    pub scales: Vec<String>,
}

#[derive(Debug)]
pub struct Framework {
    pub idnumber: String,
    pub shortname: String,
    pub description: String,
    pub scaleid: usize,
    pub scaleconfiguration: String,
    pub taxonomies: String,
}

#[derive(Debug, Clone)]
pub struct Competency {
    pub id: usize,
    pub idnumber: String,
    pub shortname: String,
    pub description: String,
    pub descriptionformat: i64,
    /// 0 for a top competency.
    pub parentid: usize,
    pub scaleid: Option<usize>,
    pub scaleconfiguration: Option<String>,
    pub ruletype: Option<String>,
    pub ruleconfig: Option<String>,
    pub ruleoutcome: i64,
}

/// An import: what was created, whether it stopped, and what it dropped
/// silently on the way.
#[derive(Debug, Default)]
pub struct Import {
    pub site: Site,
    pub error: Option<Failure>,
    pub dropped: Vec<Dropped>,
}

/// Why an import stopped. Moodle has no transaction around it: what was
/// created before stays.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// `invalidimportfile`, `csvemptyfile`, `csvweirdcolumns`: nothing is
    /// created.
    Csv(&'static str),
    /// A PHP error (a fatal `Error`, not an exception).
    Fatal(String),
    /// `invalid_persistent_exception`: the entity and the properties that
    /// failed validation.
    Invalid {
        entity: String,
        properties: Vec<&'static str>,
    },
    /// `coding_exception`.
    Coding(String),
}

/// What the importer leaves out without a word.
#[derive(Debug, Clone, PartialEq)]
pub enum Dropped {
    /// A row whose parent id number matches no row: never attached to the
    /// tree (framework_importer.php 295-303), so never created.
    NotInTree(String),
    /// A row with an empty id number or short name (`empty()`: `""` or
    /// `"0"`), skipped with its subtree (339).
    EmptyIdOrName(String),
    /// A rule type that is no class (433): no rule.
    UnknownRuleType { idnumber: String, ruletype: String },
    /// A related id number that is no row (413).
    UnknownRelated { idnumber: String, related: String },
}

/// Imports `csv` as the form does by default (UTF-8, comma, columns by
/// position) into an empty site.
pub fn import(csv: &str) -> Import {
    let mut import = Import::default();
    let records = match read_csv(csv) {
        Ok(records) => records,
        Err(e) => {
            import.error = Some(e);
            return import;
        }
    };
    let mut reader = Reader {
        records,
        import: &mut import,
        flat: Vec::new(),
        mappings: Vec::new(),
    };
    if let Err(e) = reader.run() {
        reader.import.error = Some(e);
    }
    import
}

/// The records as the importer reads them: `load_csv_content`, the copy it
/// stores with `fputcsv`, read back with `fgetcsv` (header skipped).
pub fn read_csv(csv: &str) -> Result<Vec<Vec<String>>, Failure> {
    // csvlib.class.php 98-110: no BOM, \r\n? → \n, trim().
    let content = csv
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let content = content.trim_matches([' ', '\t', '\n', '\r', '\0', '\x0b']);
    let parsed = fgetcsv_all(content.as_bytes());
    // 129-140: a blank line is [null] and is skipped.
    let records: Vec<Vec<String>> = parsed.into_iter().flatten().collect();
    let Some(header) = records.first() else {
        return Err(Failure::Csv("csvemptyfile"));
    };
    // 164-172: every record as wide as the header.
    if records.iter().any(|r| r.len() != header.len()) {
        return Err(Failure::Csv("csvweirdcolumns"));
    }
    // 177-179: stored with fputcsv, then init() and next() read it with
    // fgetcsv.
    let mut stored = String::new();
    for r in &records {
        stored.push_str(&fputcsv(r));
    }
    let again: Vec<Vec<String>> = fgetcsv_all(stored.as_bytes())
        .into_iter()
        .flatten()
        .collect();
    Ok(again.into_iter().skip(1).collect())
}

/// One row as `framework_importer::__construct` keeps it (223-263).
#[derive(Debug, Clone)]
struct Record {
    parentidnumber: String,
    idnumber: String,
    raw_idnumber: String,
    shortname: String,
    description: String,
    descriptionformat: i64,
    ruletype: String,
    ruleoutcome: i64,
    ruleconfig: String,
    relatedidnumbers: String,
    exportid: String,
    scalevalues: String,
    scaleconfiguration: String,
    children: Vec<usize>,
    created: Option<usize>,
}

struct Reader<'a> {
    records: Vec<Vec<String>>,
    import: &'a mut Import,
    flat: Vec<Record>,
    /// Export id → database id (`$this->mappings`, 341-343).
    mappings: Vec<(PhpKey, usize)>,
}

impl Reader<'_> {
    fn run(&mut self) -> Result<(), Failure> {
        let column = |row: &[String], i: usize| row.get(i).cloned().unwrap_or_default();
        let mut framework: Option<(Framework, String, String, i64)> = None;
        for row in std::mem::take(&mut self.records) {
            let isframework = column(&row, 12);
            if php_truthy(&isframework) {
                // 238-247: the last framework row wins.
                framework = Some((
                    Framework {
                        idnumber: shorten_text(&param_text(&column(&row, 1)), 100),
                        shortname: shorten_text(&param_text(&column(&row, 2)), 100),
                        description: column(&row, 3),
                        scaleid: 0,
                        scaleconfiguration: String::new(),
                        taxonomies: column(&row, 13),
                    },
                    column(&row, 5),
                    column(&row, 6),
                    php_int(&column(&row, 4)),
                ));
            } else {
                // 248-263; `$flat[$idnumber]`: a later row with the same id
                // number replaces the earlier.
                let raw = column(&row, 1);
                let record = Record {
                    parentidnumber: param_text(&column(&row, 0)),
                    idnumber: shorten_text(&param_text(&raw), 100),
                    raw_idnumber: raw.clone(),
                    shortname: shorten_text(&param_text(&column(&row, 2)), 100),
                    description: column(&row, 3),
                    descriptionformat: php_int(&column(&row, 4)),
                    ruletype: column(&row, 7),
                    ruleoutcome: php_int(&column(&row, 8)),
                    ruleconfig: column(&row, 9),
                    relatedidnumbers: column(&row, 10),
                    exportid: column(&row, 11),
                    scalevalues: column(&row, 5),
                    scaleconfiguration: column(&row, 6),
                    children: Vec::new(),
                    created: None,
                };
                match self.flat.iter().position(|r| r.raw_idnumber == raw) {
                    Some(i) => self.flat[i] = record,
                    None => self.flat.push(record),
                }
            }
        }
        // 270-272: no framework row, nothing imported.
        let Some((mut framework, scalevalues, scaleconfiguration, descriptionformat)) = framework
        else {
            return Err(Failure::Csv("invalidimportfile"));
        };
        // 280-281, 295-303: the tree, from the rows whose parent id number
        // is '' (loosely equal).
        let top = self.children_of("");
        let mut attached = vec![false; self.flat.len()];
        let mut stack = top.clone();
        while let Some(i) = stack.pop() {
            if attached[i] {
                continue;
            }
            attached[i] = true;
            let children = self.children_of(&self.flat[i].idnumber.clone());
            stack.extend(children.iter().copied());
            self.flat[i].children = children;
        }
        for (record, attached) in self.flat.iter().zip(&attached) {
            if !attached {
                self.import
                    .dropped
                    .push(Dropped::NotInTree(record.raw_idnumber.clone()));
            }
        }
        // 454-466: the framework's scale, always, then the framework.
        framework.scaleid = self.scale_id(&scalevalues);
        framework.scaleconfiguration = scale_configuration(framework.scaleid, &scaleconfiguration)?;
        let mut errors = Vec::new();
        if param_text(&framework.shortname) != framework.shortname {
            errors.push("shortname");
        }
        if !FORMATS.contains(&descriptionformat) {
            errors.push("descriptionformat");
        }
        if !valid_scale_configuration(&framework.scaleconfiguration, framework.scaleid) {
            errors.push("scaleconfiguration");
        }
        // competency_framework.php 345-355.
        if framework
            .taxonomies
            .split(',')
            .any(|t| !t.is_empty() && !TAXONOMIES.contains(&t))
        {
            errors.push("taxonomies");
        }
        if !errors.is_empty() {
            return Err(Failure::Invalid {
                entity: framework.idnumber.clone(),
                properties: errors,
            });
        }
        self.import.site.framework = Some(framework);
        // 470-474, then 477-482.
        for &i in &top {
            self.create_competency(i, 0)?;
        }
        for &i in &top {
            self.set_rules(i)?;
            self.set_related(i);
        }
        Ok(())
    }

    /// The rows whose parent id number equals `parent` as PHP's `==` does.
    fn children_of(&self, parent: &str) -> Vec<usize> {
        (0..self.flat.len())
            .filter(|&i| php_loose_equal(&self.flat[i].parentidnumber, parent))
            .collect()
    }

    /// `get_scale_id` (372-398): a global scale with the same items, else
    /// a new one.
    fn scale_id(&mut self, values: &str) -> usize {
        let scales = &mut self.import.site.scales;
        // grade_scale::load_items trims each item; compact_items joins them.
        let compact: Vec<&str> = values.split(',').map(str::trim).collect();
        let compact = compact.join(",");
        match scales.iter().position(|s| *s == compact) {
            Some(i) => i + 1,
            None => {
                scales.push(compact);
                scales.len()
            }
        }
    }

    /// `create_competency` (320-349) and the validation of its persistent.
    fn create_competency(&mut self, i: usize, parentid: usize) -> Result<(), Failure> {
        let record = self.flat[i].clone();
        // 339: empty() of "" and "0".
        if php_empty(&record.idnumber) || php_empty(&record.shortname) {
            self.import
                .dropped
                .push(Dropped::EmptyIdOrName(record.raw_idnumber.clone()));
            return Ok(());
        }
        let (description, descriptionformat) = if php_empty(&record.description) {
            (String::new(), 1)
        } else {
            (record.description.clone(), record.descriptionformat)
        };
        let (scaleid, scaleconfiguration) = if php_truthy(&record.scalevalues) {
            let id = self.scale_id(&record.scalevalues);
            (
                Some(id),
                Some(scale_configuration(id, &record.scaleconfiguration)?),
            )
        } else {
            (None, None)
        };
        let competencies = &self.import.site.competencies;
        let mut errors = Vec::new();
        if param_text(&record.shortname) != record.shortname {
            errors.push("shortname");
        }
        // competency.php 479-490: unique in the framework.
        if competencies.iter().any(|c| c.idnumber == record.idnumber) {
            errors.push("idnumber");
        }
        if !FORMATS.contains(&descriptionformat) {
            errors.push("descriptionformat");
        }
        // 633-664.
        if let (Some(id), Some(config)) = (scaleid, &scaleconfiguration) {
            if !valid_scale_configuration(config, id) {
                errors.push("scaleconfiguration");
            }
        }
        if !errors.is_empty() {
            return Err(Failure::Invalid {
                entity: record.idnumber,
                properties: errors,
            });
        }
        let id = competencies.len() + 1;
        self.import.site.competencies.push(Competency {
            id,
            idnumber: record.idnumber.clone(),
            shortname: record.shortname.clone(),
            description,
            descriptionformat,
            parentid,
            scaleid,
            scaleconfiguration,
            ruletype: None,
            ruleconfig: None,
            ruleoutcome: 0,
        });
        if php_truthy(&record.exportid) {
            self.mappings.push((PhpKey::of_str(&record.exportid), id));
        }
        self.flat[i].created = Some(id);
        for child in record.children {
            self.create_competency(child, id)?;
        }
        Ok(())
    }

    /// `set_rules` (429-447): the rule's class, its config migrated to the
    /// new ids, then the persistent's validation on `update()`.
    fn set_rules(&mut self, i: usize) -> Result<(), Failure> {
        let record = self.flat[i].clone();
        if let (Some(id), true) = (record.created, php_truthy(&record.ruletype)) {
            // PHP class names: any case, an optional leading backslash.
            let class = record.ruletype.trim_start_matches('\\').to_lowercase();
            let rule = [RULE_ALL, RULE_POINTS]
                .into_iter()
                .find(|r| r.to_lowercase() == class);
            match rule {
                None => self.import.dropped.push(Dropped::UnknownRuleType {
                    idnumber: record.idnumber.clone(),
                    ruletype: record.ruletype.clone(),
                }),
                Some(rule) => {
                    // 435-437: the string "null" is no config.
                    let old = (record.ruleconfig != "null").then_some(record.ruleconfig.as_str());
                    let config = if rule == RULE_POINTS {
                        Some(self.migrate_points(old)?)
                    } else {
                        // competency_rule.php: the base class keeps it.
                        old.map(str::to_string)
                    };
                    let mut errors = Vec::new();
                    let valid = if rule == RULE_POINTS {
                        config
                            .as_deref()
                            .is_some_and(|c| self.validate_points(id, c))
                    } else {
                        // competency_rule_all.php 80-82.
                        config.is_none()
                    };
                    if !valid {
                        errors.push("ruleconfig");
                    }
                    if !OUTCOMES.contains(&record.ruleoutcome) {
                        errors.push("ruleoutcome");
                    }
                    if !errors.is_empty() {
                        return Err(Failure::Invalid {
                            entity: record.idnumber,
                            properties: errors,
                        });
                    }
                    let c = &mut self.import.site.competencies[id - 1];
                    c.ruletype = Some(rule.to_string());
                    c.ruleconfig = config;
                    c.ruleoutcome = record.ruleoutcome;
                }
            }
        }
        for child in record.children {
            self.set_rules(child)?;
        }
        Ok(())
    }

    /// `competency_rule_points::migrate_config` (201-217):
    /// `json_decode($config, true)`, each member's id looked up among the
    /// export ids, `json_encode`.
    fn migrate_points(&self, config: Option<&str>) -> Result<String, Failure> {
        let mut value: Value = config
            .and_then(|c| serde_json::from_str(c).ok())
            .filter(|v: &Value| v.is_object() || v.is_array())
            .ok_or_else(|| Failure::Coding("Invalid JSON config rule.".into()))?;
        if let Some(members) = value.get_mut("competencies").and_then(|c| c.as_array_mut()) {
            for member in members {
                let key = PhpKey::of_value(member.get("id").unwrap_or(&Value::Null));
                let Some((_, id)) = self.mappings.iter().find(|(k, _)| *k == key) else {
                    return Err(Failure::Coding(
                        "The competency id is not found in the matchids.".into(),
                    ));
                };
                member["id"] = Value::from(*id);
            }
        }
        Ok(value.to_string())
    }

    /// `competency_rule_points::validate_config` (109-183), line by line.
    fn validate_points(&self, own_id: usize, config: &str) -> bool {
        let Ok(config) = serde_json::from_str::<Value>(config) else {
            return false;
        };
        // 112: `$config === null || !isset($config->base) || !isset(...)`.
        let (Some(base), Some(members)) = (isset(&config, "base"), isset(&config, "competencies"))
        else {
            return false;
        };
        // 116-124.
        let Some(points) = isset(base, "points") else {
            return false;
        };
        let Some(required_points) = validate_param_int(points) else {
            return false;
        };
        // 126-128.
        if required_points < 1 {
            return false;
        }
        let mut total = 0;
        let mut ids: Vec<&Value> = Vec::new();
        // 133: `foreach` over anything but an array or an object iterates
        // nothing (with a warning).
        let members: Vec<&Value> = match members {
            Value::Array(a) => a.iter().collect(),
            Value::Object(o) => o.values().collect(),
            _ => Vec::new(),
        };
        for member in members {
            let id = member.get("id").unwrap_or(&Value::Null);
            // 136-138: not itself (`==`).
            if php_loose_equal_values(id, &Value::from(own_id)) {
                return false;
            }
            // 141-143: no duplicate (`in_array`, loose).
            if ids.iter().any(|x| php_loose_equal_values(x, id)) {
                return false;
            }
            // 146-150: `isset` of id, points, required.
            let (Some(id), Some(points), Some(required)) = (
                isset(member, "id"),
                isset(member, "points"),
                isset(member, "required"),
            ) else {
                return false;
            };
            // 153-159: PARAM_INT, PARAM_INT, PARAM_BOOL.
            let (Some(_), Some(points), Some(_)) = (
                validate_param_int(id),
                validate_param_int(points),
                validate_param_bool(required),
            ) else {
                return false;
            };
            total += points;
            // 162-164.
            if points < 0 {
                return false;
            }
            ids.push(id);
        }
        // 169-171, 174-176.
        if ids.is_empty() || required_points > total {
            return false;
        }
        // 181-182, competency.php `is_parent_of`: every member a child.
        ids.iter().all(|id| {
            let id = php_int_value(id);
            self.import
                .site
                .competencies
                .iter()
                .any(|c| c.id as i64 == id && c.parentid == own_id)
        })
    }

    /// `set_related` (407-422): id numbers split on commas, `%2C` a comma,
    /// an unknown one ignored.
    fn set_related(&mut self, i: usize) {
        let record = self.flat[i].clone();
        if let (Some(id), true) = (record.created, php_truthy(&record.relatedidnumbers)) {
            for raw in record.relatedidnumbers.split(',') {
                let idnumber = raw.replace("%2C", ",");
                let other = self
                    .flat
                    .iter()
                    .find(|r| r.raw_idnumber == idnumber)
                    .and_then(|r| r.created);
                match other {
                    Some(other) => {
                        let pair = (id.min(other), id.max(other));
                        if !self.import.site.related.contains(&pair) {
                            self.import.site.related.push(pair);
                        }
                    }
                    None => self.import.dropped.push(Dropped::UnknownRelated {
                        idnumber: record.idnumber.clone(),
                        related: idnumber,
                    }),
                }
            }
        }
        for child in record.children {
            self.set_related(child);
        }
    }
}

/// `get_scale_configuration` (359-363): `$asarray = json_decode($config);
/// $asarray[0]->scaleid = $scaleid;`. Anything but an array whose first
/// item is an object is a PHP error ("Attempt to assign property on
/// null"), which stops the import.
fn scale_configuration(scaleid: usize, config: &str) -> Result<String, Failure> {
    let mut value: Value = serde_json::from_str(config).map_err(|_| {
        Failure::Fatal(format!(
            "Attempt to assign property \"scaleid\" on null (scale configuration {config:?})"
        ))
    })?;
    let first = match &mut value {
        Value::Array(items) => items.first_mut().and_then(Value::as_object_mut),
        _ => None,
    };
    match first {
        Some(first) => {
            first.insert("scaleid".into(), Value::from(scaleid));
        }
        None => {
            return Err(Failure::Fatal(format!(
                "Attempt to assign property \"scaleid\" on a non-object (scale configuration {config:?})"
            )))
        }
    }
    Ok(value.to_string())
}

/// `validate_scaleconfiguration` (competency.php 633-664,
/// competency_framework.php 307-338): the first item names the scale, and
/// some item is the default and some proficient.
fn valid_scale_configuration(config: &str, scaleid: usize) -> bool {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(config) else {
        return false;
    };
    let Some((first, rest)) = items.split_first() else {
        return false;
    };
    let Some(id) = isset(first, "scaleid") else {
        return false;
    };
    if !php_loose_equal_values(id, &Value::from(scaleid)) {
        return false;
    }
    let flag = |item: &Value, key: &str| isset(item, key).is_some_and(php_truthy_value);
    rest.iter().any(|i| flag(i, "scaledefault")) && rest.iter().any(|i| flag(i, "proficient"))
}

/// `isset($value->key)`: present and not null.
fn isset<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value.get(key).filter(|v| !v.is_null())
}

/// PHP's `(string)` of a decoded JSON scalar.
fn php_string(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some(String::new()),
        Value::Bool(true) => Some("1".into()),
        Value::Bool(false) => Some(String::new()),
        Value::Number(n) => Some(match n.as_i64() {
            Some(i) => i.to_string(),
            None => {
                let f = n.as_f64().unwrap_or(0.0);
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    format!("{}", f as i64)
                } else {
                    format!("{f}")
                }
            }
        }),
        Value::String(s) => Some(s.clone()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// `validate_param($value, PARAM_INT)` (moodlelib.php 724-751): not null,
/// not an array or object, and `(string)$value === (string)(int)$value`.
fn validate_param_int(value: &Value) -> Option<i64> {
    if value.is_null() {
        return None;
    }
    let text = php_string(value)?;
    let cleaned = php_int_value(value);
    (text == cleaned.to_string()).then_some(cleaned)
}

/// `validate_param($value, PARAM_BOOL)`: `clean_param` makes 0 or 1
/// (870-880), and the value's string must equal it: `true` is "1", fine;
/// `false` is "", which is not "0", so it is refused.
fn validate_param_bool(value: &Value) -> Option<i64> {
    if value.is_null() {
        return None;
    }
    let text = php_string(value)?;
    let lower = text.to_lowercase();
    let cleaned = match lower.as_str() {
        "on" | "yes" | "true" => 1,
        "off" | "no" | "false" => 0,
        _ => i64::from(php_truthy_value(value)),
    };
    (text == cleaned.to_string()).then_some(cleaned)
}

/// PHP's `(int)` of a decoded JSON scalar.
fn php_int_value(value: &Value) -> i64 {
    match value {
        Value::Bool(b) => i64::from(*b),
        Value::Number(n) => n
            .as_i64()
            .unwrap_or_else(|| n.as_f64().unwrap_or(0.0) as i64),
        Value::String(s) => php_int(s),
        Value::Null | Value::Array(_) | Value::Object(_) => 0,
    }
}

/// PHP's truthiness of a decoded JSON value.
fn php_truthy_value(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => php_truthy(s),
        Value::Array(a) => !a.is_empty(),
        Value::Object(_) => true,
    }
}

/// PHP's `==` between decoded JSON scalars (PHP 8 rules for numbers and
/// numeric strings).
fn php_loose_equal_values(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => a.as_f64() == b.as_f64(),
        (Value::String(x), Value::String(y)) => php_loose_equal(x, y),
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            match php_numeric(s) {
                Some(f) => n.as_f64() == Some(f),
                None => n.to_string() == *s,
            }
        }
        (Value::Bool(x), other) | (other, Value::Bool(x)) => *x == php_truthy_value(other),
        (Value::Null, other) | (other, Value::Null) => !php_truthy_value(other),
        _ => a == b,
    }
}

/// An array key as PHP makes it: a decimal integer string is an integer.
#[derive(Debug, Clone, PartialEq)]
enum PhpKey {
    Int(i64),
    Str(String),
}

impl PhpKey {
    fn of_str(s: &str) -> PhpKey {
        let canonical = s == "0"
            || (s
                .strip_prefix('-')
                .unwrap_or(s)
                .starts_with(|c: char| ('1'..='9').contains(&c))
                && s.strip_prefix('-')
                    .unwrap_or(s)
                    .chars()
                    .all(|c| c.is_ascii_digit()));
        match s.parse::<i64>() {
            Ok(i) if canonical => PhpKey::Int(i),
            _ => PhpKey::Str(s.to_string()),
        }
    }

    fn of_value(v: &Value) -> PhpKey {
        match v {
            Value::String(s) => PhpKey::of_str(s),
            Value::Null => PhpKey::Str(String::new()),
            other => PhpKey::Int(php_int_value(other)),
        }
    }
}

/// `empty($string)`: `""` and `"0"`.
fn php_empty(s: &str) -> bool {
    s.is_empty() || s == "0"
}

fn php_truthy(s: &str) -> bool {
    !php_empty(s)
}

/// A PHP 8 numeric string's value: optional whitespace, sign, digits with
/// an optional fraction and exponent, optional trailing whitespace.
fn php_numeric(s: &str) -> Option<f64> {
    let ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c');
    let t = s.trim_matches(ws);
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (mantissa, None),
    };
    let digits = |x: &str| x.chars().all(|c| c.is_ascii_digit());
    let ok_mantissa = digits(int)
        && frac.is_none_or(digits)
        && !(int.is_empty() && frac.is_none_or(str::is_empty));
    let ok_exponent = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    (ok_mantissa && ok_exponent)
        .then(|| t.parse::<f64>().ok())
        .flatten()
}

/// PHP 8's `==` between two strings: numerically when both are numeric.
fn php_loose_equal(a: &str, b: &str) -> bool {
    match (php_numeric(a), php_numeric(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// `clean_param($s, PARAM_INT)`, `(int)$s`: a numeric string's value,
/// else its leading integer, else 0.
fn php_int(s: &str) -> i64 {
    if let Some(f) = php_numeric(s) {
        return f as i64;
    }
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (sign, rest) = match t.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, t.strip_prefix('+').unwrap_or(t)),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse::<i64>().map_or(0, |d| sign * d)
}

/// `clean_param($s, PARAM_TEXT)` (887-): without multilang markup, PHP's
/// `strip_tags`: a `<` followed by anything but whitespace opens a tag that
/// runs to the next `>` (or to the end) and is dropped.
pub fn param_text(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<' && !chars.peek().is_some_and(|n| n.is_whitespace()) {
            for d in chars.by_ref() {
                if d == '>' {
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// `shorten_text($s, 100)` (8380-): unchanged when its text without tags
/// has at most 100 characters; else cut (shown here as the first 97
/// characters and `...`; Moodle cuts on a word).
pub fn shorten_text(s: &str, ideal: usize) -> String {
    let mut plain = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match (in_tag, c) {
            (false, '<') => in_tag = true,
            (true, '>') => in_tag = false,
            (false, c) => plain.push(c),
            (true, _) => {}
        }
    }
    if plain.chars().count() <= ideal {
        return s.to_string();
    }
    let kept: String = s.chars().take(ideal - 3).collect();
    format!("{kept}...")
}

/// PHP's `isspace` in the C locale.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// `php_fgetcsv_lookup_trailing_spaces`: where a line ends once its
/// `\n`, `\r\n` or `\r` is left out.
fn trailing(buf: &[u8]) -> usize {
    match buf {
        [.., b'\r', b'\n'] => buf.len() - 2,
        [.., b'\n'] | [.., b'\r'] => buf.len() - 1,
        _ => buf.len(),
    }
}

/// PHP 8's `fgetcsv` (ext/standard/file.c, `php_fgetcsv`) with `,`, `"`
/// and the escape `\`, over every line of `data`: one record per call, or
/// None for a blank line (PHP's `[null]`). Ported state for state: inside
/// quotes, `\` keeps the next byte (both are kept), `""` is one quote, a
/// quote followed by anything else closes the field and what follows up to
/// the comma is appended; outside quotes, the field runs to the comma and
/// keeps its spaces. UTF-8 multibyte characters never hold these bytes.
fn fgetcsv_all(data: &[u8]) -> Vec<Option<Vec<String>>> {
    let mut lines = Lines { data, pos: 0 };
    let mut out = Vec::new();
    while let Some(line) = lines.next_line() {
        out.push(fgetcsv(&mut lines, line));
    }
    out
}

struct Lines<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Lines<'_> {
    /// `php_stream_get_line`: up to and with the next `\n`.
    fn next_line(&mut self) -> Option<Vec<u8>> {
        if self.pos >= self.data.len() {
            return None;
        }
        let rest = &self.data[self.pos..];
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| i + 1);
        self.pos += end;
        Some(rest[..end].to_vec())
    }
}

fn fgetcsv(lines: &mut Lines<'_>, first: Vec<u8>) -> Option<Vec<String>> {
    const DELIMITER: u8 = b',';
    const ENCLOSURE: u8 = b'"';
    const ESCAPE: u8 = b'\\';
    let mut buf = first;
    let at = |buf: &[u8], i: usize| buf.get(i).copied().unwrap_or(0);
    let copy = |temp: &mut Vec<u8>, buf: &[u8], from: usize, to: usize| {
        let to = to.min(buf.len());
        if from < to {
            temp.extend_from_slice(&buf[from..to]);
        }
    };
    let mut bptr = 0;
    let mut limit = trailing(&buf);
    let mut line_end = limit;
    let mut line_end_len = buf.len() - limit;
    let mut values = Vec::new();
    let mut first_field = true;
    loop {
        let mut temp: Vec<u8> = Vec::new();
        let mut inc_len = usize::from(bptr < limit);
        if inc_len == 1 {
            let mut tmp = bptr;
            while tmp < buf.len() && buf[tmp] != DELIMITER && is_space(buf[tmp]) {
                tmp += 1;
            }
            if tmp < limit && at(&buf, tmp) == ENCLOSURE {
                bptr = tmp;
            }
        }
        if first_field && bptr == line_end {
            return None;
        }
        first_field = false;
        let comp_end;
        if inc_len != 0 && at(&buf, bptr) == ENCLOSURE {
            let mut state = 0;
            bptr += 1;
            let mut hunk_begin = bptr;
            // 2A: the enclosed field.
            'quit2: loop {
                if inc_len == 0 {
                    if state == 2 {
                        copy(&mut temp, &buf, hunk_begin, bptr - 1);
                        hunk_begin = bptr;
                        break 'quit2;
                    }
                    if state == 1 {
                        copy(&mut temp, &buf, hunk_begin, bptr);
                        hunk_begin = bptr;
                    }
                    if hunk_begin != line_end {
                        copy(&mut temp, &buf, hunk_begin, bptr);
                    }
                    copy(&mut temp, &buf, line_end, line_end + line_end_len);
                    match lines.next_line() {
                        None => {
                            if bptr > limit {
                                bptr -= 1;
                            }
                            hunk_begin = bptr.min(buf.len());
                            break 'quit2;
                        }
                        Some(next) => {
                            buf = next;
                            bptr = 0;
                            hunk_begin = 0;
                            limit = trailing(&buf);
                            line_end = limit;
                            line_end_len = buf.len() - limit;
                            state = 0;
                        }
                    }
                } else {
                    match state {
                        1 => {
                            bptr += 1;
                            state = 0;
                        }
                        2 => {
                            if at(&buf, bptr) != ENCLOSURE {
                                copy(&mut temp, &buf, hunk_begin, bptr - 1);
                                hunk_begin = bptr;
                                break 'quit2;
                            }
                            copy(&mut temp, &buf, hunk_begin, bptr);
                            bptr += 1;
                            hunk_begin = bptr;
                            state = 0;
                        }
                        _ => {
                            let b = at(&buf, bptr);
                            if b == ENCLOSURE {
                                state = 2;
                            } else if b == ESCAPE {
                                state = 1;
                            }
                            bptr += 1;
                        }
                    }
                }
                inc_len = usize::from(bptr < limit);
            }
            // Up to the delimiter: what follows the closing quote is kept.
            loop {
                inc_len = usize::from(bptr < limit);
                if inc_len == 0 || at(&buf, bptr) == DELIMITER {
                    break;
                }
                bptr += 1;
            }
            copy(&mut temp, &buf, hunk_begin, bptr);
            bptr += inc_len;
            comp_end = temp.len();
        } else {
            // 2B: a field without quotes.
            let hunk_begin = bptr;
            loop {
                inc_len = usize::from(bptr < limit);
                if inc_len == 0 || at(&buf, bptr) == DELIMITER {
                    break;
                }
                bptr += 1;
            }
            copy(&mut temp, &buf, hunk_begin, bptr);
            comp_end = trailing(&temp);
            if at(&buf, bptr) == DELIMITER && bptr < buf.len() {
                bptr += 1;
            }
        }
        values.push(String::from_utf8_lossy(&temp[..comp_end]).into_owned());
        if inc_len == 0 {
            break;
        }
    }
    Some(values)
}

/// PHP 8's `fputcsv` with `,`, `"` and the escape `\`: a field with a
/// delimiter, quote, backslash, line break, tab or space is enclosed; inside,
/// a quote is doubled unless a backslash came before it.
fn fputcsv(fields: &[String]) -> String {
    let mut line = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if field.contains([',', '"', '\\', '\n', '\r', '\t', ' ']) {
            line.push('"');
            let mut escaped = false;
            for c in field.chars() {
                if c == '\\' {
                    escaped = true;
                } else if !escaped && c == '"' {
                    line.push('"');
                } else {
                    escaped = false;
                }
                line.push(c);
            }
            line.push('"');
        } else {
            line.push_str(field);
        }
    }
    line.push('\n');
    line
}

/// The records of `csv` as PHP's `fgetcsv` reads them (no other step): for
/// the tests of the dialect.
pub fn php_records(csv: &str) -> Vec<Vec<String>> {
    fgetcsv_all(csv.as_bytes()).into_iter().flatten().collect()
}

/// The reproduction's own checks, against the text of Moodle's functions.
#[test]
fn php_semantics_as_in_moodle() {
    use serde_json::json;
    // validate_param(PARAM_BOOL): the points rule's `required`.
    assert_eq!(validate_param_bool(&json!(true)), Some(1));
    assert_eq!(validate_param_bool(&json!(false)), None);
    assert_eq!(validate_param_bool(&json!(0)), Some(0));
    assert_eq!(validate_param_bool(&json!(1)), Some(1));
    assert_eq!(validate_param_bool(&json!("1")), Some(1));
    assert_eq!(validate_param_bool(&json!("true")), None);
    assert_eq!(validate_param_bool(&json!(2)), None);
    // validate_param(PARAM_INT).
    assert_eq!(validate_param_int(&json!(3)), Some(3));
    assert_eq!(validate_param_int(&json!("3")), Some(3));
    assert_eq!(validate_param_int(&json!("03")), None);
    assert_eq!(validate_param_int(&json!(1.5)), None);
    assert_eq!(validate_param_int(&json!(2.0)), Some(2));
    assert_eq!(validate_param_int(&json!(true)), Some(1));
    assert_eq!(validate_param_int(&json!(false)), None);
    // Loose equality of id numbers.
    assert!(php_loose_equal("1", "01"));
    assert!(php_loose_equal("1e1", "10"));
    assert!(!php_loose_equal("C1", "c1"));
    assert!(!php_loose_equal("", "0"));
    // fgetcsv: doubled quotes, a backslash keeps the quote after it, text
    // after a closing quote, a quoted line break, spaces kept, a blank line.
    assert_eq!(
        fgetcsv_all(b"a,\"b \"\"c\"\"\",\" \\\"x\\\" \",\"q\"r, s \n\n\"l1\nl2\",z"),
        [
            Some(vec![
                "a".to_string(),
                "b \"c\"".into(),
                " \\\"x\\\" ".into(),
                "qr".into(),
                " s ".into()
            ]),
            None,
            Some(vec!["l1\nl2".to_string(), "z".into()]),
        ]
    );
    // A field ending with a backslash escapes its closing quote: the
    // record swallows what follows.
    assert_eq!(
        fgetcsv_all(b"\"a\\\",b\n"),
        [Some(vec!["a\\\",b\n".to_string()])]
    );
    // fputcsv then fgetcsv gives the fields back, except a trailing
    // backslash.
    let fields: Vec<String> = ["x", "a b", "say \\\"hi\\\"", "q\"r", ""]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(php_records(&fputcsv(&fields)), [fields]);
    assert_eq!(param_text("note <10 et plus"), "note ");
    assert_eq!(param_text("<b>gras</b> < 5"), "gras < 5");
    assert_eq!(shorten_text(&"x".repeat(100), 100), "x".repeat(100));
    assert_ne!(shorten_text(&"x".repeat(101), 100), "x".repeat(101));
}
