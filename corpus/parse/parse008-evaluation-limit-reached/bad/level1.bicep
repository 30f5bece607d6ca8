// expect: none
// Level 1 calls level 2 twice, each time with its array doubled: the values double at every
// level, and their sum grows fourfold.
param items array = range(0, 1000)

module left 'level2.bicep' = {
  name: 'left'
  params: { items: concat(items, items) }
}

module right 'level2.bicep' = {
  name: 'right'
  params: { items: concat(items, items) }
}
