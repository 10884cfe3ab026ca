/** The shapes of Microsoft Graph's answers that the connector reads (https://learn.microsoft.com/graph/api/resources/driveitem). */

export interface DriveItem {
  id: string;
  name?: string;
  size?: number;
  cTag?: string;
  eTag?: string;
  webUrl?: string;
  file?: { mimeType?: string };
  folder?: { childCount?: number };
  root?: object;
  deleted?: { state?: string };
  parentReference?: { id?: string; driveId?: string };
}

export interface DeltaPage {
  value: DriveItem[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

export interface Identity {
  id?: string;
  displayName?: string;
  email?: string;
  loginName?: string;
  userPrincipalName?: string;
}

export interface IdentitySet {
  user?: Identity;
  group?: Identity;
  siteUser?: Identity;
  siteGroup?: Identity;
  application?: Identity;
}

export interface Permission {
  id: string;
  roles?: string[];
  grantedToV2?: IdentitySet;
  grantedToIdentitiesV2?: IdentitySet[];
  link?: { scope?: 'anonymous' | 'organization' | 'users' | 'existingAccess'; type?: string };
}
