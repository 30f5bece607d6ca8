using 'main.bicep'

param privateCluster = true  // expect: API004
