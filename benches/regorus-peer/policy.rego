# The seed's validation rules in Rego, written generically from data.
#
# data.referential (built from the compiled IR, loaded once):
#   scales:        {scale: {level: rank}}          e.g. {"acquisition": {"non_acquis": 0, "en_cours": 1, "acquis": 2}}
#   criteria:      {criterion: {"scale": scale, "pass": rank}}
#   competencies:  {competency: [criterion, ...]}
#   blocks:        {block: [competency, ...]}
#   certification: [block, ...]
#
# input (one candidate): {"grades": {"E1/CE1": "acquis", ...}}; a criterion
# without a grade is pending.
#
# Outcomes are three-valued: "validated", "not_validated", "pending".
# `all` is not validated as soon as one member is not, validated when all
# are, pending otherwise.
package acquis

ref := data.referential

# A criterion is acquired when its grade's rank reaches the pass rank.
criterion_outcome(id, _) := "pending" if {
	not input.grades[id]
} else := "validated" if {
	ref.scales[ref.criteria[id].scale][input.grades[id]] >= ref.criteria[id].pass
} else := "not_validated"

all_of(outcomes) := "not_validated" if {
	"not_validated" in outcomes
} else := "validated" if {
	every o in outcomes {
		o == "validated"
	}
} else := "pending"

criteria[id] := criterion_outcome(id, c) if {
	some id, c in ref.criteria
}

competencies[id] := all_of([criteria[k] | some k in members]) if {
	some id, members in ref.competencies
}

blocks[id] := all_of([competencies[c] | some c in members]) if {
	some id, members in ref.blocks
}

certification := all_of([blocks[b] | some b in ref.certification])
