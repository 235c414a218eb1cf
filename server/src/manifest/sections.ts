/**
 * The inventory manifest: one YAML format that describes a whole inventory by stable codes.
 * A section per entity; children that only exist inside a parent are nested in it.
 */
export interface Section {
  /** Key in the manifest. */
  key: string;
  entity: string;
  /** Property that identifies an item (within its parent, for nested sections). */
  identity: string;
  /** Only one item (the organization). */
  single?: boolean;
  /** For nested sections: the many-to-one property pointing at the parent. */
  parent?: string;
  children?: Section[];
}

export const SECTIONS: Section[] = [
  { key: 'organization', entity: 'Organization', identity: 'code', single: true },
  { key: 'subjectCategories', entity: 'SubjectCategory', identity: 'code' },
  { key: 'dataCategories', entity: 'DataCategory', identity: 'code' },
  { key: 'purposes', entity: 'Purpose', identity: 'code' },
  { key: 'legalBases', entity: 'LegalBasis', identity: 'code' },
  { key: 'securityMeasures', entity: 'SecurityMeasure', identity: 'code' },
  { key: 'countryAssessments', entity: 'CountryAssessment', identity: 'country' },
  {
    key: 'processors', entity: 'Processor', identity: 'code',
    children: [{ key: 'audits', entity: 'ProcessorAudit', identity: 'code', parent: 'processor' }],
  },
  { key: 'storageLocations', entity: 'StorageLocation', identity: 'code' },
  { key: 'jointUseArrangements', entity: 'JointUseArrangement', identity: 'code' },
  {
    key: 'thirdPartyRecipients', entity: 'ThirdPartyRecipient', identity: 'code',
    children: [{ key: 'provisionRecords', entity: 'ProvisionRecord', identity: 'code', parent: 'recipient' }],
  },
  { key: 'foreignTransfers', entity: 'ForeignTransfer', identity: 'code' },
  { key: 'processingActivities', entity: 'ProcessingActivity', identity: 'code' },
  {
    key: 'systems', entity: 'System', identity: 'key',
    children: [{
      key: 'datasets', entity: 'Dataset', identity: 'key', parent: 'system',
      children: [{ key: 'fields', entity: 'DatasetField', identity: 'path', parent: 'dataset' }],
    }],
  },
];

export const API_VERSION = 'kiroku/v1';

/** Every section, nested ones included, parents first. */
export function allSections(list: Section[] = SECTIONS): Section[] {
  return list.flatMap((s) => [s, ...allSections(s.children ?? [])]);
}
