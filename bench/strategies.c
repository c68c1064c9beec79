/* strategies.c - every migration strategy pmig bench knows, by name: the matrix and the timing program look them up here. */
#include "strategy.h"

const struct pmig_strategy *const pmig_strategies[] = {
	&pmig_strategy_memcpy,
	&pmig_strategy_move_pages,
	&pmig_strategy_migrate_pages,
	&pmig_strategy_mbind_move,
	&pmig_strategy_reference,
	&pmig_strategy_swap,
	&pmig_strategy_offline,
	NULL,
};
