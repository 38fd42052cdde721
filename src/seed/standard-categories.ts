// The standard category tree (CJ/T 214 / GB/T 30428.2 top classes and common subclasses) with default time limits:
// what a fresh install adopts in one step (src/services/setup.ts) and what the demo street builds on
// (src/seed/demo-street.ts adds sample descriptions and the street's own 9x classes).
import type { CategoryLimits } from '../data/schema.js';

export interface StandardCategory {
  code: string;
  name: string;
  /** normal handling time in working days; urgent and critical follow from it */
  days: number;
  /** the department code this category usually goes to; adopted only when a department with that code exists */
  dept: string;
  industry?: string;
  accept?: string;
  close?: string;
}

export interface StandardClass {
  code: string;
  name: string;
  kind: 'event' | 'component';
  children: StandardCategory[];
}

/** Limits by urgency from the category's normal handling days: urgent halves them, critical quarters them. */
export function limitsFor(days: number): CategoryLimits {
  return {
    normal: { signHours: 2, handleDays: days, verifyHours: 8 },
    urgent: { signHours: 1, handleDays: Math.max(0.5, days / 2), verifyHours: 4 },
    critical: { signHours: 0.5, handleDays: Math.max(0.25, days / 4), verifyHours: 2 },
  };
}

export const defaultAcceptCriteria = (className: string) => `${className}类问题，位置明确、现场可核实，属于街道处置范围`;
export const DEFAULT_CLOSE_CRITERIA = '问题已整改到位，现场恢复正常，附处置后照片';

export const STANDARD_CATEGORIES: StandardClass[] = [
  {
    code: '01', name: '市容环境', kind: 'event', children: [
      { code: '0101', name: '暴露垃圾', dept: 'CG', days: 1 },
      { code: '0102', name: '乱堆物堆料', dept: 'CG', days: 2 },
      { code: '0103', name: '道路不洁', dept: 'CG', days: 1 },
    ],
  },
  {
    code: '02', name: '宣传广告', kind: 'event', children: [
      { code: '0201', name: '违规张贴小广告', dept: 'CG', days: 2 },
      { code: '0202', name: '违规户外广告', dept: 'CG', days: 5 },
    ],
  },
  {
    code: '03', name: '施工管理', kind: 'event', children: [
      { code: '0301', name: '施工扬尘', dept: 'HB', days: 1, industry: 'environment' },
      { code: '0302', name: '违规夜间施工', dept: 'CG', days: 1 },
    ],
  },
  {
    code: '04', name: '突发事件', kind: 'event', children: [
      { code: '0401', name: '道路塌陷', dept: 'ZJ', days: 1 },
      { code: '0402', name: '火灾隐患', dept: 'AJ', days: 1 },
    ],
  },
  {
    code: '05', name: '街面秩序', kind: 'event', children: [
      { code: '0501', name: '占道经营', dept: 'CG', days: 1 },
      { code: '0502', name: '乱停放', dept: 'CG', days: 1 },
    ],
  },
  {
    code: '06', name: '扩展事件', kind: 'event', children: [
      { code: '0601', name: '违法建设', dept: 'ZJ', days: 5 },
    ],
  },
  {
    code: '11', name: '公用设施', kind: 'component', children: [
      { code: '1101', name: '井盖破损', dept: 'ZJ', days: 1 },
      { code: '1102', name: '路灯损坏', dept: 'ZJ', days: 3 },
    ],
  },
  {
    code: '12', name: '道路交通', kind: 'component', children: [
      { code: '1201', name: '交通护栏损坏', dept: 'ZJ', days: 3 },
    ],
  },
  {
    code: '14', name: '园林绿化', kind: 'component', children: [
      { code: '1401', name: '绿地脏乱', dept: 'CG', days: 2 },
      { code: '1402', name: '行道树倒伏', dept: 'CG', days: 1 },
    ],
  },
];
