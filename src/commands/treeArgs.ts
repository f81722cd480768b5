/** What a command learns of the tree row or the connection it was run on, checked and typed by kind. */
import { isKind, Kind, ProfileOf } from '../drivers/types';
import { Place, placeOf } from '../drivers/places';
import { BrowseItemNode } from '../explorer/nodes/browseItemNode';

/** The row a command was run on when it is a driver's row of `kind`: its connection and its place, both typed. */
export function rowOf<K extends Kind>(arg: unknown, kind: K): { profile: ProfileOf<K>; place: Extract<Place, { kind: K }> } | undefined {
  if (!(arg instanceof BrowseItemNode) || !isKind(arg.profile, kind)) return undefined;
  const place = placeOf(kind, arg.node.place);
  return place && { profile: arg.profile, place };
}
