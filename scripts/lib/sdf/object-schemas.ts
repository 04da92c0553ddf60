// What an SDF object of each type we generate may and must contain, for checking the generated XML
// offline (the SuiteCloud CLI validates only with an account: its `project:validate` runs in a Java
// SDK the CLI downloads at first use, against an auth id). A subset of Oracle's SDF XML reference
// ("customrecordtype", "transactionbodycustomfield", "entitycustomfield" and
// "generic_customfield_fieldtype" in the SuiteCloud Development Framework XML Reference), limited
// to the elements we emit; an element outside the subset is reported, so a new one gets looked up
// before it is added.

export const FIELD_TYPES = [
  'CHECKBOX',
  'CLOBTEXT',
  'CURRENCY',
  'DATE',
  'DATETIMETZ',
  'DOCUMENT',
  'EMAIL',
  'FLOAT',
  'HELP',
  'IMAGE',
  'INLINEHTML',
  'INTEGER',
  'MULTISELECT',
  'PASSWORD',
  'PERCENT',
  'PHONE',
  'RICHTEXT',
  'SELECT',
  'TEXT',
  'TEXTAREA',
  'TIMEOFDAY',
  'URL',
] as const;

const BOOLEAN = /^[TF]$/;
const ACCESS_LEVEL = /^[012]$/;

/** Child elements of a custom field definition (any of the three kinds) and what their text must look like. */
const FIELD_ELEMENTS: Record<string, RegExp | readonly string[]> = {
  fieldtype: FIELD_TYPES,
  label: /^.{1,200}$/s,
  selectrecordtype: /^(-\d+|\[scriptid=[a-z0-9_]+\])$/,
  description: /^[\s\S]*$/,
  help: /^[\s\S]*$/,
  storevalue: BOOLEAN,
  showinlist: BOOLEAN,
  globalsearch: BOOLEAN,
  ismandatory: BOOLEAN,
  isformula: BOOLEAN,
  checkspelling: BOOLEAN,
  displaytype: ['NORMAL', 'INLINE', 'HIDDEN', 'LOCKED', 'DISABLED', 'SHOWASLIST', 'STATICTEXT'],
  accesslevel: ACCESS_LEVEL,
  searchlevel: ACCESS_LEVEL,
};

export interface ObjectSchema {
  /** Root element name. */
  root: string;
  /** The `scriptid` attribute: prefix and the longest id SDF accepts. */
  scriptId: { pattern: RegExp; maxLength: number };
  required: readonly string[];
  elements: Record<string, RegExp | readonly string[]>;
}

export const OBJECT_SCHEMAS: Record<
  'transactionbodycustomfield' | 'entitycustomfield' | 'customrecordtype' | 'customrecordcustomfield',
  ObjectSchema
> = {
  transactionbodycustomfield: {
    root: 'transactionbodycustomfield',
    scriptId: { pattern: /^custbody[0-9a-z_]+$/, maxLength: 38 },
    required: ['fieldtype', 'label'],
    elements: {
      ...FIELD_ELEMENTS,
      bodysale: BOOLEAN,
      bodycustomerpayment: BOOLEAN,
      bodyjournal: BOOLEAN,
      bodydeposit: BOOLEAN,
    },
  },
  entitycustomfield: {
    root: 'entitycustomfield',
    scriptId: { pattern: /^custentity[0-9a-z_]+$/, maxLength: 40 },
    required: ['fieldtype', 'label'],
    elements: { ...FIELD_ELEMENTS, appliestocustomer: BOOLEAN },
  },
  customrecordtype: {
    root: 'customrecordtype',
    scriptId: { pattern: /^customrecord[0-9a-z_]+$/, maxLength: 40 },
    required: ['recordname'],
    elements: {
      recordname: /^.{1,40}$/,
      description: /^[\s\S]*$/,
      accesstype: ['CUSTRECORDENTRYPERM', 'NONENEEDED', 'USEPERMISSIONLIST'],
      allowattachments: BOOLEAN,
      allowinlineediting: BOOLEAN,
      allowquicksearch: BOOLEAN,
      enablesystemnotes: BOOLEAN,
      includename: BOOLEAN,
      isinactive: BOOLEAN,
      showid: BOOLEAN,
      showcreationdate: BOOLEAN,
      showlastmodified: BOOLEAN,
      customrecordcustomfields: /^$/,
    },
  },
  customrecordcustomfield: {
    root: 'customrecordcustomfield',
    scriptId: { pattern: /^custrecord[0-9a-z_]+$/, maxLength: 40 },
    required: ['fieldtype', 'label'],
    elements: FIELD_ELEMENTS,
  },
};

/** Features a manifest may name (the ones this project depends on). */
export const KNOWN_FEATURES = ['CUSTOMRECORDS', 'RECEIVABLES'] as const;
