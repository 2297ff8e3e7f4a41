//! Id → entity tables over the IR, built once per document, report or
//! hover: the describer names sets and agrees words by what an id is.

use std::collections::HashMap;

use crate::{AssessmentIr, BlockIr, CompetencyIr, CriterionIr, Ir, ScaleIr};

/// What an id names; decides the nouns and the French agreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Criterion,
    Competency,
    Block,
}

/// The entities of one IR by id.
pub struct Lookup<'ir> {
    pub ir: &'ir Ir,
    criteria: HashMap<&'ir str, &'ir CriterionIr>,
    competencies: HashMap<&'ir str, &'ir CompetencyIr>,
    blocks: HashMap<&'ir str, &'ir BlockIr>,
    assessments: HashMap<&'ir str, &'ir AssessmentIr>,
    scales: HashMap<&'ir str, &'ir ScaleIr>,
}

impl<'ir> Lookup<'ir> {
    /// Indexes every entity of `ir` once.
    pub fn new(ir: &'ir Ir) -> Self {
        Lookup {
            ir,
            criteria: ir.criteria.iter().map(|c| (c.id.as_str(), c)).collect(),
            competencies: ir.competencies.iter().map(|c| (c.id.as_str(), c)).collect(),
            blocks: ir.blocks.iter().map(|b| (b.id.as_str(), b)).collect(),
            assessments: ir.assessments.iter().map(|a| (a.id.as_str(), a)).collect(),
            scales: ir.scales.iter().map(|s| (s.id.as_str(), s)).collect(),
        }
    }

    pub fn criterion(&self, id: &str) -> Option<&'ir CriterionIr> {
        crate::work::step();
        self.criteria.get(id).copied()
    }

    pub fn competency(&self, id: &str) -> Option<&'ir CompetencyIr> {
        crate::work::step();
        self.competencies.get(id).copied()
    }

    pub fn block(&self, id: &str) -> Option<&'ir BlockIr> {
        crate::work::step();
        self.blocks.get(id).copied()
    }

    pub fn assessment(&self, id: &str) -> Option<&'ir AssessmentIr> {
        crate::work::step();
        self.assessments.get(id).copied()
    }

    pub fn scale(&self, id: &str) -> Option<&'ir ScaleIr> {
        crate::work::step();
        self.scales.get(id).copied()
    }

    /// What `id` names, if it is a criterion, competency or block.
    pub fn kind(&self, id: &str) -> Option<Kind> {
        crate::work::step();
        if self.criteria.contains_key(id) {
            Some(Kind::Criterion)
        } else if self.competencies.contains_key(id) {
            Some(Kind::Competency)
        } else if self.blocks.contains_key(id) {
            Some(Kind::Block)
        } else {
            None
        }
    }

    /// The title of any entity with an id, for captions and lists.
    pub fn title(&self, id: &str) -> &'ir str {
        if let Some(c) = self.criterion(id) {
            &c.title
        } else if let Some(c) = self.competency(id) {
            &c.title
        } else if let Some(b) = self.block(id) {
            &b.title
        } else if let Some(a) = self.assessment(id) {
            &a.title
        } else {
            ""
        }
    }

    /// Every criterion of a block's competencies, each once, in order.
    pub fn block_criteria(&self, block: &BlockIr) -> Vec<&'ir str> {
        let all = block
            .competencies
            .iter()
            .filter_map(|c| self.competency(c))
            .flat_map(|c| c.criteria.iter().map(String::as_str))
            .collect();
        crate::types::first_mentions(all)
    }
}
