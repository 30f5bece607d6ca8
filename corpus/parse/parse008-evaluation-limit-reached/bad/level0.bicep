// expect: none
// Level 0 calls level 1 twice, each time with its array doubled: the values double at every
// level, and their sum grows fourfold.
param items array = range(0, 1000)

module left 'level1.bicep' = {
  name: 'left'
  params: { items: concat(items, items) }
}

module right 'level1.bicep' = {
  name: 'right'
  params: { items: concat(items, items) }
}
