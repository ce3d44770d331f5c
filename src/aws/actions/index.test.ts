// Meta-tests of the action registry: every rule's remediation exists and acts on the rule's types; declarations are well-formed.
import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPE_IDS } from '../../core/resource-types.js';
import { BUILT_IN_RULES } from '../../rules/index.js';
import { ACTIONS } from './index.js';

const IAM_ACTION = /^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/;

describe('action registry', () => {
  it("has every action a built-in rule names, acting on that rule's resource types", () => {
    for (const rule of BUILT_IN_RULES) {
      if (!rule.remediation) continue;
      const action = ACTIONS[rule.remediation.action];
      expect(action, `${rule.id} -> ${rule.remediation.action}`).toBeDefined();
      for (const type of rule.resourceTypes) expect(action?.resourceTypes, `${rule.id}`).toContain(type);
    }
  });

  it('keys each action by its own id, kebab-case and verb first', () => {
    for (const [id, action] of Object.entries(ACTIONS)) {
      expect(action.id).toBe(id);
      expect(id).toMatch(/^(revoke|block|remove|set|enable|terminate|quarantine|stop|delete)(-[a-z0-9]+)+$/);
    }
  });

  it('declares exact IAM actions, and undo needs for every reversible action', () => {
    for (const action of Object.values(ACTIONS)) {
      const byType = Object.values(action.permissions.applyByType ?? {}).flat();
      for (const permission of [...action.permissions.apply, ...action.permissions.revert, ...byType]) {
        expect(permission, action.id).toMatch(IAM_ACTION);
      }
      expect(action.permissions.apply.length + byType.length, action.id).toBeGreaterThan(0);
      if (action.reversible) expect(action.permissions.revert.length, action.id).toBeGreaterThan(0);
      else expect(action.permissions.revert, action.id).toEqual([]);
      for (const type of action.resourceTypes) expect(RESOURCE_TYPE_IDS).toContain(type);
    }
  });

  it('gives delete-resource a delete permission for each of the eight types', () => {
    const byType = ACTIONS['delete-resource']?.permissions.applyByType ?? {};
    expect(Object.keys(byType).sort()).toEqual([...RESOURCE_TYPE_IDS].sort());
  });
});
