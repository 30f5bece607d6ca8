using 'main.bicep'

// Mixed elements: only the public one without ranges is reported, at its own value.
param clusters = [
  {
    name: 'aks-weu'
    privateCluster: true
  }
  {
    name: 'aks-neu'
    privateCluster: false  // expect: API001
  }
  {
    name: 'aks-edge'
    privateCluster: false
    ranges: ['203.0.113.0/24']
  }
  {
    // Public, but not deployed: the condition is false for this element.
    name: 'aks-lab'
    enabled: false
    privateCluster: false
  }
]
