// expect: none
// Level 4 calls level 5 twice, each time with its array doubled: the values double at every
// level, and their sum grows fourfold.
param items array = range(0, 1000)

module left 'level5.bicep' = {
  name: 'left'
  params: { items: concat(items, items) }
}

module right 'level5.bicep' = {
  name: 'right'
  params: { items: concat(items, items) }
}
