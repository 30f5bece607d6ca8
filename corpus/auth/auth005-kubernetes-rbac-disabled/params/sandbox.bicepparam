using 'main.bicep'

param clusterName = 'aks-sandbox'
param enableRbac = false  // expect: AUTH005
