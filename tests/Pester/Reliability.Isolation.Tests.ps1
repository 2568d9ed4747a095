# Another module that loaded another Microsoft.Playwright (1.62.0, restored by tools/BuildTools.csproj)
# into the process first does not break this one: this module's Playwright loads into an
# AssemblyLoadContext of its own. Runs in a child pwsh so that the other version is truly first.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $script:OtherPlaywright = Get-ChildItem (Join-Path $packages 'microsoft.playwright/1.62.0/lib') -Recurse -Filter Microsoft.Playwright.dll -ErrorAction SilentlyContinue | Select-Object -First 1

    function Invoke-ChildPwsh {
        param([string] $Script)
        $file = Join-Path $TestDrive "child-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content $file $Script
        $self = Get-Process -Id $PID
        $arguments = @('-NoProfile', '-NonInteractive', '-File', $file)
        if ($self.ProcessName -eq 'dotnet') { & dotnet (Join-Path $PSHOME 'pwsh.dll') @arguments 2>&1 } else { & $self.Path @arguments 2>&1 }
    }
}

AfterAll { Stop-TestReplica $Replica }

Describe 'Another Microsoft.Playwright in the same process' {
    It 'has the other version at hand (restored from NuGet)' {
        $OtherPlaywright | Should -Not -BeNullOrEmpty
        [Reflection.AssemblyName]::GetAssemblyName($OtherPlaywright.FullName).Version.ToString() | Should -Be '1.62.0.0'
    }

    It 'signs in and reads a setting when another module loaded Microsoft.Playwright 1.62 first' {
        $account = New-ReplicaAccount $Replica -Settings @{ VoiceRecordingReview = $false }
        $output = Invoke-ChildPwsh @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$($OtherPlaywright.FullName)'
Import-Module '$ModulePath'
`$session = Connect-AlexaAccount -Email '$($account.Email)' -Password (ConvertTo-SecureString '$($account.Password)' -AsPlainText -Force) -BaseUri '$Base'
`$value = (Get-AlexaDataSetting -Session `$session -Name VoiceRecordingReview).Value
Disconnect-AlexaAccount -Session `$session
`$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Microsoft.Playwright' } |
    ForEach-Object { '{0}@{1}' -f `$_.GetName().Version, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).GetType().Name }
[pscustomobject]@{ Value = `$value; Loaded = @(`$loaded); Session = [AlexaPrivacy.AlexaSession].FullName } | ConvertTo-Json -Compress
"@
        $json = $output | Where-Object { $_ -is [string] -and $_.StartsWith('{') } | Select-Object -Last 1
        $json | Should -Not -BeNullOrEmpty -Because ($output -join "`n")
        $result = $json | ConvertFrom-Json
        $result.Value | Should -Be 'Off'
        # Both versions live side by side: the other module's in the default context, this module's in its own.
        $result.Loaded | Should -Contain '1.62.0.0@DefaultAssemblyLoadContext'
        $result.Loaded | Should -Contain '1.64.1.0@PlaywrightLoadContext'
        # The module's public types still resolve by name in scripts.
        $result.Session | Should -Be 'AlexaPrivacy.AlexaSession'
    }
}
