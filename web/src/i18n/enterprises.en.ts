// English strings of the enterprise registry: the same keys as enterprises.zh-CN.ts.
import type { enterprisesZhCN } from './enterprises.zh-CN.js';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const enterprisesEn: Shape<typeof enterprisesZhCN> = {
  ent: {
    archive: 'Enterprise archive',
    timeline: 'Timeline',
    keyUnit: 'Key unit',
    aGrid: 'Grid',
    cGrid: 'Own grid (C)',
    industry: 'Industry',
    address: 'Address',
    contact: 'Contact',
    phone: 'Phone',
    status: 'Status',
    watch: 'Under watch',
    openHazards: 'Open hazards',
    statusName: { operating: 'Operating', suspended: 'Suspended', closed: 'Closed down' },
    kind: { archive: 'Archive', inspection: 'Inspection', hazard: 'Hazard', notice: 'Notice', case: 'Case' },
    what: {
      'enterprise.create': 'Registered',
      'enterprise.update': 'Archive changed',
      'enterprise.import': 'Imported from a sheet',
      'inspection.failed': 'Inspection found problems',
      'inspection.passed': 'Inspection found nothing',
    },
    noEvents: 'Nothing yet',
    open: 'Open',
    importTitle: 'Import enterprises',
    template: 'Download template',
    import: 'Import from a sheet',
    export: 'Export to Excel',
    imported: '{{n}} enterprises added, {{updated}} updated, {{unchanged}} unchanged',
    importFailed: 'No enterprise was imported',
    mapLayer: 'Enterprises',
    mapOpenOnly: 'Only with open hazards',
    mapIndustry: 'Industry code (e.g. C29)',
    mapCount: '{{n}}',
  },
};
