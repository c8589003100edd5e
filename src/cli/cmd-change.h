/*
 * cmd-change.h: what the change commands share (cmd-change.c, cmd-
 * change-show.c): the id operand and the printing of a change and of
 * an assessment.
 */
#ifndef HW_CMD_CHANGE_H
#define HW_CMD_CHANGE_H

/* CHG-N into *n: 0, or 2 after the usage error. */
int cli_change_id(struct cli *cli, const char *s, long long *n);

/* A change for people: its fields, targets and edits, and (if not
 * NULL) the summary of its stored assessment. */
void cli_change_print(const struct hw_change *c, const json_t *assessment);

/* An assessment of change n for people: the impact's summary and the
 * posture delta. */
void cli_assessment_print(long long n, const json_t *a);

#endif
