// expect: none
// Level 2 calls level 3 twice, each time with its array doubled: the values double at every
// level, and their sum grows fourfold.
param items array = range(0, 1000)

module left 'level3.bicep' = {
  name: 'left'
  params: { items: concat(items, items) }
}

module right 'level3.bicep' = {
  name: 'right'
  params: { items: concat(items, items) }
}
