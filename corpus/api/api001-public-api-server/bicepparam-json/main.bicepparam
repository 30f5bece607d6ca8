// A .bicepparam file may name an ARM JSON template in `using`: its values decide.
using 'azuredeploy.json'

param clusterName = 'aks-bicepparam'
param privateCluster = false  // expect: API001
