using 'main.bicep'

param enablePrivateCluster = false  // expect: API001
