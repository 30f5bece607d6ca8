// expect: none
// A template that hides settings as well as secrets in `secureValue`s.
param helmRepo string
param chartName string
@secure()
param repoPassword string
@secure()
param listenerCertificate string

resource installer 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'chart-installer'
  location: resourceGroup().location
  properties: {
    osType: 'Linux'
    containers: [
      {
        name: 'helm'
        properties: {
          image: 'alpine/helm:3.15.4'
          resources: { requests: { cpu: 1, memoryInGB: 1 } }
          environmentVariables: [
            { name: 'HELM_REPO', secureValue: helmRepo }
            { name: 'CHART', secureValue: chartName }
            { name: 'HELM_REPO_PASSWORD', secureValue: repoPassword }
            { name: 'LISTENER_CERT', secureValue: listenerCertificate }
          ]
        }
      }
    ]
  }
}
