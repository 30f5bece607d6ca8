// expect: none
// Level 6 calls level 7 twice, each time with its array doubled: the values double at every
// level, and their sum grows fourfold.
param items array = range(0, 1000)

module left 'level7.bicep' = {
  name: 'left'
  params: { items: concat(items, items) }
}

module right 'level7.bicep' = {
  name: 'right'
  params: { items: concat(items, items) }
}
