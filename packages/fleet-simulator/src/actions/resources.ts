import { RESOURCE_TYPES, ResourceType, findTypeByKind } from '../k8s/registry';

/**
 * How a klusterlet's REST mapper turns what an action or view names into a resource type:
 * a resource as kubectl spells it (`deployment`, `deployments`, `deploy`,
 * `applications.argoproj.io`), or a group, version and kind.
 */
export function typeForResource(resource: string): ResourceType | undefined {
  const lower = resource.toLowerCase();
  const dot = lower.indexOf('.');
  const word = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  return RESOURCE_TYPES.find(
    rt =>
      rt.singular !== '' &&
      (group === undefined || rt.group === group) &&
      (rt.plural === word ||
        rt.singular === word ||
        rt.kind.toLowerCase() === word ||
        (rt.shortNames ?? []).includes(word)),
  );
}

export function typeForKind(
  group: string,
  version: string,
  kind: string,
): ResourceType | undefined {
  return findTypeByKind(group ? `${group}/${version}` : version, kind);
}
