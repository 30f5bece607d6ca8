using 'good.bicep'

param clusterName = 'aks-prod'
param nodeCount = 3 +  // expect: PARSE007
