# The seed's validation rules in Rego, written generically from data, for
# the side-by-side benchmark (src/main.rs).
#
# data.referential (built from the compiled IR, loaded once):
#   criteria:      {criterion: {"passing": {level: true, ...}}}   levels at or above the pass level
#   competencies:  {competency: [criterion, ...]}
#   blocks:        {block: [competency, ...]}
#   certification: [block, ...]
#
# input (one candidate): {"grades": {"E1/CE1": "acquis", ...}}; a criterion
# without a grade is pending.
#
# Outcomes are three-valued: "validated", "not_validated", "pending". Each
# entity is `all` of its members: not validated as soon as one member is
# not, validated when all are, pending otherwise. Written as sets of failed
# and of pending ids, each computed once per evaluation: about twice as fast
# in regorus as a function applied to every member's three-valued outcome.
package acquis

ref := data.referential

# Graded, below the pass level.
failed_criteria contains id if {
	some id, level in input.grades
	c := ref.criteria[id]
	not c.passing[level]
}

# Not graded.
pending_criteria contains id if {
	some id, _ in ref.criteria
	not input.grades[id]
}

failed_competencies contains id if {
	some id, members in ref.competencies
	some k in members
	failed_criteria[k]
}

pending_competencies contains id if {
	some id, members in ref.competencies
	not failed_competencies[id]
	some k in members
	pending_criteria[k]
}

failed_blocks contains id if {
	some id, members in ref.blocks
	some c in members
	failed_competencies[c]
}

pending_blocks contains id if {
	some id, members in ref.blocks
	not failed_blocks[id]
	some c in members
	pending_competencies[c]
}

outcome(id, failed, pending) := "not_validated" if {
	failed[id]
} else := "pending" if {
	pending[id]
} else := "validated"

competencies[id] := outcome(id, failed_competencies, pending_competencies) if {
	some id, _ in ref.competencies
}

blocks[id] := outcome(id, failed_blocks, pending_blocks) if {
	some id, _ in ref.blocks
}

certification := "not_validated" if {
	some b in ref.certification
	failed_blocks[b]
} else := "pending" if {
	some b in ref.certification
	pending_blocks[b]
} else := "validated"
