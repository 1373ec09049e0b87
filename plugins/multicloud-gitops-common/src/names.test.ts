import { checkDns1123Label, checkNameLengthRule } from './names';

describe('naming rules', () => {
  it('accepts DNS-1123 labels and explains the rest', () => {
    expect(checkDns1123Label('group-one', 'group')).toBeUndefined();
    expect(checkDns1123Label('Group_One', 'group')).toMatch(
      /group "Group_One" is not a DNS-1123 label; use lower-case letters/,
    );
    expect(checkDns1123Label('', 'group')).toBe(
      'group must be a non-empty string',
    );
    expect(checkDns1123Label('a'.repeat(64), 'group')).toMatch(
      /is 64 characters; use at most 63/,
    );
  });

  it('keeps len(pattern) + 2*len(group) below 47', () => {
    // multicloud-gitops (17) + 2 * 14 = 45: fits
    expect(
      checkNameLengthRule('multicloud-gitops', 'group-fourteen'),
    ).toBeUndefined();
    // 17 + 2 * 15 = 47: the route name would not fit a DNS label
    expect(checkNameLengthRule('multicloud-gitops', 'group-fifteen-x')).toBe(
      'len(pattern "multicloud-gitops") + 2*len(group "group-fifteen-x") = 47, must be below 47 (the route <group>-gitops-server-<pattern>-<group> must fit a DNS label); shorten the pattern or the group name',
    );
  });
});
