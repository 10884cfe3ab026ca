import { chipDesign } from './chipDesign.ts';
import { hrPolicy } from './hrPolicy.ts';
import { itHelpdesk } from './itHelpdesk.ts';
import type { SampleCollection } from './SampleDocument.ts';

export const sampleCollections: SampleCollection[] = [chipDesign, itHelpdesk, hrPolicy];
