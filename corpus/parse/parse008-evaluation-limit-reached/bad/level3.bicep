// expect: none
// Level 3 calls level 4 twice, each time with its array doubled: the values double at every
// level, and their sum grows fourfold.
param items array = range(0, 1000)

module left 'level4.bicep' = {
  name: 'left'
  params: { items: concat(items, items) }
}

module right 'level4.bicep' = {
  name: 'right'
  params: { items: concat(items, items) }
}
