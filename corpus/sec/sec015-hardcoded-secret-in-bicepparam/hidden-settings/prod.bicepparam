using './main.bicep'

param helmRepo = 'https://charts.contoso.com/stable'  // neg: url-in-secure-value
param chartName = 'nginx-ingress'  // neg: name-in-secure-value
param repoPassword = 'Kd8-Tq3-Wz6-Lm1'  // expect: SEC015(generic-password)
param listenerCertificate = '[base64 cert data]'  // neg: bracketed-placeholder
