// expect: none
// Level 5 calls level 6 twice, each time with its array doubled: the values double at every
// level, and their sum grows fourfold.
param items array = range(0, 1000)

module left 'level6.bicep' = {
  name: 'left'
  params: { items: concat(items, items) }
}

module right 'level6.bicep' = {
  name: 'right'
  params: { items: concat(items, items) }
}
