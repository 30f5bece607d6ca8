// expect: none
// A hundred workers from a loop, each module called with the array it needs, and a module
// chain three levels deep: well within a deployment's budget.
param regions array = [
  'westeurope'
  'northeurope'
]

module workers 'worker.bicep' = [for i in range(0, 100): {
  name: 'worker-${i}'
  params: {
    index: i
    regions: regions
  }
}]
