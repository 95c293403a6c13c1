import { and } from 'xstate';
import { BLOCK_ORDER, type FieldKey } from './types.js';
import type { BlockId } from './view.js';

/* ---------------------------------------------------------------------------------------------
 * Config builders shared by the block states (functions, so each block gets its own objects).
 */

export function blockState(block: BlockId) {
  return {
    initial: 'checking' as const,
    states: {
      /** Entering the block (or after a change): ask the first missing field right away. */
      checking: {
        always: [
          {
            guard: { type: 'blockHasProblems' as const, params: { block } },
            target: 'editing' as const,
            actions: { type: 'editFirstProblem' as const, params: { block, quiet: true } },
          },
          { target: 'reviewing' as const },
        ],
      },
      reviewing: {},
      editing: {},
    },
    on: {
      CONFIRM: [
        {
          guard: { type: 'blockComplete' as const, params: { block } },
          target: '#draft.active.route',
          actions: { type: 'confirmBlock' as const, params: { block } },
        },
        { target: '.editing', actions: { type: 'editFirstProblem' as const, params: { block } } },
      ],
      EDIT: [
        {
          guard: { type: 'editsFieldOfBlock' as const, params: { block } },
          target: '.editing',
          actions: { type: 'startEdit' as const, params: { block } },
        },
        {
          guard: { type: 'singleEditable' as const, params: { block } },
          target: '.editing',
          actions: { type: 'startEdit' as const, params: { block } },
        },
        { target: '.reviewing', actions: 'askWhichField' as const },
      ],
      BACK: { target: '.checking', actions: 'stopEdit' as const },
      SET: blockSet(block),
      NOT_UNDERSTOOD: { actions: 'notUnderstood' as const },
    },
  };
}

export function blockSet(block: BlockId) {
  return [
    {
      guard: and([{ type: 'setInBlock' as const, params: { block } }, 'validSet' as const]),
      target: '.checking',
      actions: 'applyValue' as const,
    },
    {
      guard: { type: 'setInBlock' as const, params: { block } },
      target: '.editing',
      actions: 'rejectValue' as const,
    },
    // « numéro F-12 » typed while another block is open: applied there too (no lookup needed).
    {
      guard: and(['setsPlainField' as const, 'validSet' as const]),
      target: '.checking',
      actions: 'applyValue' as const,
    },
    { guard: 'setsPlainField' as const, actions: 'rejectValueHere' as const },
    { actions: 'notEditableHere' as const },
  ];
}

/** A valid value for `field` is applied, then `target` (a lookup) runs. */
export function setThenLoad(field: FieldKey, target: string) {
  return {
    guard: and([{ type: 'setsField' as const, params: { field } }, 'validSet' as const]),
    target,
    actions: 'applyValue' as const,
  };
}

/** From the summary (or a refusal): go back to a block, or straight to one of its fields. */
export function editBlockTransitions() {
  return BLOCK_ORDER.flatMap((block) => [
    {
      guard: { type: 'editsFieldOfBlock' as const, params: { block } },
      target: `#draft.active.${block}.editing`,
      actions: { type: 'startEdit' as const, params: { block } },
    },
    { guard: { type: 'editsBlock' as const, params: { block } }, target: `#draft.active.${block}` },
  ]);
}
