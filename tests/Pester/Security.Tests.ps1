# Secrets never leak (every stream, diagnostics, traces, session files), credentials go only to the
# expected origin, and saved sessions are owner-only.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Replica = Start-TestReplica
    $script:Base = $Replica.BaseUri

    # RFC 6238 in the test itself, so the codes the module typed can be looked for.
    function Get-TotpCode {
        param([string] $Key, [long] $Step)
        $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
        $clean = ($Key -replace '\s', '').ToUpperInvariant()
        $bits = -join ($clean.ToCharArray() | ForEach-Object { [Convert]::ToString($alphabet.IndexOf($_), 2).PadLeft(5, '0') })
        $bytes = [byte[]]@(for ($i = 0; $i + 8 -le $bits.Length; $i += 8) { [Convert]::ToByte($bits.Substring($i, 8), 2) })
        $counter = [BitConverter]::GetBytes([long]$Step); if ([BitConverter]::IsLittleEndian) { [array]::Reverse($counter) }
        $hash = [System.Security.Cryptography.HMACSHA1]::new($bytes).ComputeHash($counter)
        $offset = $hash[19] -band 0xf
        $value = (($hash[$offset] -band 0x7f) -shl 24) -bor ($hash[$offset + 1] -shl 16) -bor ($hash[$offset + 2] -shl 8) -bor $hash[$offset + 3]
        ($value % 1000000).ToString('000000')
    }

    # Every text a secret could hide in: the file itself, and every entry of a zip (a trace).
    function Get-SearchableText {
        param([string] $Path)
        $bytes = [IO.File]::ReadAllBytes($Path)
        [Text.Encoding]::Latin1.GetString($bytes)
        [Text.Encoding]::Unicode.GetString($bytes)
        if ($bytes.Length -gt 4 -and $bytes[0] -eq 0x50 -and $bytes[1] -eq 0x4b) {
            $zip = [IO.Compression.ZipFile]::OpenRead($Path)
            try {
                foreach ($entry in $zip.Entries) {
                    $stream = $entry.Open(); $memory = [IO.MemoryStream]::new()
                    $stream.CopyTo($memory); $stream.Dispose()
                    [Text.Encoding]::UTF8.GetString($memory.ToArray())
                }
            }
            finally { $zip.Dispose() }
        }
    }

    # Returns where each hit is ("<source>: secret 'Pw-...'"), never the secret itself.
    function Find-Secret {
        param([string[]] $Texts, [string[]] $Secrets, [string[]] $Codes, [string] $Source = 'text')
        foreach ($text in $Texts) {
            if (-not $text) { continue }
            foreach ($s in $Secrets) {
                $at = $text.IndexOf($s)
                if ($at -ge 0) { "${Source}: secret '$($s.Substring(0, 3))...' in '$($text.Substring([math]::Max(0, $at - 60), [math]::Min(60, $at)))'" }
            }
            foreach ($c in $Codes) { if ($text -match "(?<!\d)$c(?!\d)") { "${Source}: code $c" } }
        }
    }
}

AfterAll {
    $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = $null
    $env:ALEXAPRIVACY_TRACE_PATH = $null
    $env:ALEXAPRIVACY_SITE_PROFILE = $null
    Get-Module AlexaPrivacy | Remove-Module -Force
    Stop-TestReplica $Replica
}

Describe 'Secrets in streams and files' {
    It 'finds the search able to see a secret when one is there' {
        $probe = Join-Path $TestDrive 'probe.txt'
        'before hunter2-secret after 123456' | Set-Content $probe
        Find-Secret -Texts @(Get-SearchableText $probe) -Secrets 'hunter2-secret' -Codes '123456' | Should -HaveCount 2
        Compress-Archive -Path $probe -DestinationPath (Join-Path $TestDrive 'probe.zip')
        Find-Secret -Texts @(Get-SearchableText (Join-Path $TestDrive 'probe.zip')) -Secrets 'hunter2-secret' | Should -HaveCount 1
        Remove-Item (Join-Path $TestDrive 'probe.*')
    }

    It 'writes no password, TOTP key or one-time code to any stream, diagnostics file, trace or session file, failures included' {
        $work = Join-Path $TestDrive 'leak'
        $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = Join-Path $work 'diagnostics'
        $env:ALEXAPRIVACY_TRACE_PATH = Join-Path $work 'traces'
        $shortProfile = Join-Path $work 'short.json'
        $null = New-Item -ItemType Directory $work
        '{ "timeouts": { "navigationSeconds": 4, "actionSeconds": 3 } }' | Set-Content $shortProfile
        $key = New-TestTotpKey
        $wrongKey = New-TestTotpKey
        $password = 'Pw-' + [guid]::NewGuid().ToString('N')
        $wrongPassword = 'Wrong-' + [guid]::NewGuid().ToString('N')
        $account = New-ReplicaAccount $Replica -Password $password -TotpSecret $key -Settings @{ VoiceRecordingReview = $true }
        $securePassword = ConvertTo-TestSecureString $password
        $secureKey = ConvertTo-TestSecureString $key
        $sessionPath = Join-Path $work 'account.session'
        $started = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        $common = @{ Verbose = $true; Debug = $true; ErrorAction = 'Continue' }

        $streams = & {
            # Failures first: a wrong password, a wrong TOTP key.
            Connect-AlexaAccount -Email $account.Email -Password (ConvertTo-TestSecureString $wrongPassword) -TotpSecret $secureKey -BaseUri $Base @common
            Connect-AlexaAccount -Email $account.Email -Password $securePassword -TotpSecret (ConvertTo-TestSecureString $wrongKey) -BaseUri $Base @common
            # A sign-in that is saved, then every data cmdlet on it.
            $session = Connect-AlexaAccount -Email $account.Email -Password $securePassword -TotpSecret $secureKey -BaseUri $Base -SessionPath $sessionPath @common
            $session
            Get-AlexaDataSetting -Session $session @common
            Test-AlexaDataSetting -Session $session -Enabled $false @common
            # A change Amazon drops, a page that never answers, a session Amazon ends mid-run.
            Set-ReplicaFault $Replica @{ dropChanges = $true }
            Set-AlexaDataSetting -Session $session -Enabled $false -Confirm:$false -PassThru @common
            Set-ReplicaFault $Replica @{}
            $null = Invoke-ReplicaAdmin $Replica -Method POST -Path "/__replica/accounts/$($account.Email)/expire-sessions"
            Set-AlexaDataSetting -Session $session -Enabled $false -Confirm:$false -PassThru @common
            $env:ALEXAPRIVACY_SITE_PROFILE = $shortProfile
            Set-ReplicaFault $Replica @{ hang = @{ pathPrefix = '/alexa-privacy/apd/myad/settings-data' } }
            [pscustomobject]@{ Email = $account.Email; Password = $securePassword; TotpSecret = $secureKey } |
                Get-AlexaDataSetting -BaseUri $Base @common
            Set-ReplicaFault $Replica @{}
            $env:ALEXAPRIVACY_SITE_PROFILE = $null
            # The cmdlets other parts of the module add: each run once on the session, -WhatIf where it changes things.
            $covered = 'Connect-AlexaAccount', 'Disconnect-AlexaAccount', 'Get-AlexaDataSetting', 'Set-AlexaDataSetting', 'Test-AlexaDataSetting'
            foreach ($command in Get-Command -Module AlexaPrivacy -CommandType Cmdlet | Where-Object Name -NotIn $covered) {
                $arguments = @{}
                if ($command.Parameters.ContainsKey('Session')) { $arguments.Session = $session }
                if ($command.Parameters.ContainsKey('WhatIf')) { $arguments.WhatIf = $true }
                try { & $command @arguments @common } catch { $_ }
            }
            Disconnect-AlexaAccount -Session $session @common
        } *>&1
        $ended = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()

        # The run did what it claims: sign-ins, failures with saved pages, traces and a session file.
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -BeGreaterOrEqual 2
        $errors = @($streams | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        ($errors.FullyQualifiedErrorId -like 'AlexaAuthenticationFailed*') | Should -Not -BeNullOrEmpty
        ($errors.FullyQualifiedErrorId -like 'AlexaOtpInvalid*') | Should -Not -BeNullOrEmpty
        ($errors.FullyQualifiedErrorId -like 'AlexaChangeNotPersisted*') | Should -Not -BeNullOrEmpty
        ($errors.FullyQualifiedErrorId -like 'AlexaTimeout*') | Should -Not -BeNullOrEmpty
        @($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 5
        @(Get-ChildItem $env:ALEXAPRIVACY_DIAGNOSTICS_PATH -Filter *.html).Count | Should -BeGreaterThan 0
        $traces = @(Get-ChildItem $env:ALEXAPRIVACY_TRACE_PATH -Filter *.zip)
        $traces.Count | Should -BeGreaterThan 2
        # The traces recorded the sign-in pages (around the typing) and the settings page.
        $traceText = $traces | ForEach-Object { Get-SearchableText $_.FullName }
        ($traceText -match 'ap_email') | Should -Not -BeNullOrEmpty
        ($traceText -match 'Manage Your Alexa Data') | Should -Not -BeNullOrEmpty
        Test-Path $sessionPath | Should -BeTrue

        $codes = foreach ($k in $key, $wrongKey) {
            for ($step = [math]::Floor($started / 30) - 2; $step -le [math]::Floor($ended / 30) + 2; $step++) { Get-TotpCode $k $step }
        }
        $secrets = $password, $wrongPassword, $key, ($key -replace '\s', ''), $wrongKey, ($wrongKey -replace '\s', '')
        $texts = foreach ($record in $streams) {
            $record | Out-String -Width 400
            if ($record -is [System.Management.Automation.ErrorRecord]) {
                $record.Exception.ToString(); $record.ErrorDetails.Message; $record.ErrorDetails.RecommendedAction; $record.ScriptStackTrace
            }
            elseif ($record -is [psobject]) { $record | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue }
        }
        $hits = @(Find-Secret -Texts $texts -Secrets $secrets -Codes $codes -Source 'streams')
        $files = Get-ChildItem $TestDrive -Recurse -File
        $files.Count | Should -BeGreaterThan 5
        $hits += foreach ($file in $files) { Find-Secret -Texts @(Get-SearchableText $file.FullName) -Secrets $secrets -Codes $codes -Source $file.Name }
        $hits | Should -BeNullOrEmpty
    }
}

Describe 'Where credentials go' {
    It 'stops before typing anything when the sign-in page comes from another origin than -BaseUri' {
        # Two loopback ports are two origins: the first sends the browser to a look-alike sign-in page on the second.
        $ports = 1..2 | ForEach-Object { $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $l.Start(); $l.LocalEndpoint.Port; $l.Stop() }
        $listener = [Net.HttpListener]::new()
        $ports | ForEach-Object { $listener.Prefixes.Add("http://127.0.0.1:$_/") }
        $listener.Start()
        $received = [Collections.ArrayList]::Synchronized([Collections.ArrayList]::new())
        $server = [powershell]::Create()
        $null = $server.AddScript({
                param($Listener, $Received, $Trusted, $Other)
                $form = '<!DOCTYPE html><html><body><form name="signIn" method="post" action="/ap/signin">' +
                '<input type="email" id="ap_email" name="email"><input type="password" id="ap_password" name="password">' +
                '<input type="submit" id="signInSubmit" value="Sign in"></form></body></html>'
                while ($Listener.IsListening) {
                    try { $context = $Listener.GetContext() } catch { break }
                    $request = $context.Request
                    $body = [IO.StreamReader]::new($request.InputStream).ReadToEnd()
                    $null = $Received.Add("$($request.HttpMethod) $($request.Url) $body")
                    $response = $context.Response
                    if ($request.Url.Port -eq $Trusted) {
                        $response.StatusCode = 302
                        $response.RedirectLocation = "http://127.0.0.1:$Other/ap/signin?openid.return_to=x"
                    }
                    else {
                        $bytes = [Text.Encoding]::UTF8.GetBytes($form)
                        $response.ContentType = 'text/html; charset=utf-8'
                        $response.OutputStream.Write($bytes, 0, $bytes.Length)
                    }
                    $response.Close()
                }
            }).AddArgument($listener).AddArgument($received).AddArgument($ports[0]).AddArgument($ports[1])
        $null = $server.BeginInvoke()
        try {
            $err = $null
            $session = Connect-AlexaAccount -Email 'victim@example.com' -Password (ConvertTo-TestSecureString 'never-typed-9') -BaseUri "http://127.0.0.1:$($ports[0])/" -ErrorVariable err -ErrorAction SilentlyContinue
            $session | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaUnsafeOrigin*'
            $err[0].CategoryInfo.Category | Should -Be 'SecurityError'
            $err[0].ToString() | Should -Match 'nothing was typed'
            # The look-alike page was shown, and nothing at all was sent to it.
            ($received -match "^GET http://127.0.0.1:$($ports[1])/ap/signin") | Should -Not -BeNullOrEmpty
            ($received -match '^POST') | Should -BeNullOrEmpty
            ($received -match 'never-typed-9|victim') | Should -BeNullOrEmpty
        }
        finally {
            $listener.Stop(); $listener.Close()
            $server.Dispose()
        }
    }

    It 'refuses plain http to a host that is not this machine, for the data cmdlets too' {
        $err = $null
        Get-AlexaDataSetting -Email 'a@example.com' -Password (ConvertTo-TestSecureString 'x') -BaseUri 'http://192.0.2.10/' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaUnsafeOrigin*'
        $err[0].TargetObject.Email | Should -Be 'a@example.com'
    }
}

Describe 'Saved sessions' {
    It 'writes a saved session owner-only (600) and refuses to load it once the group can read it' -Skip:$IsWindows {
        $account = New-ReplicaAccount $Replica
        $path = Join-Path $TestDrive 'owner-only.session'
        Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SessionPath $path | Disconnect-AlexaAccount
        [int](Get-Item $path).UnixFileMode | Should -Be ([Convert]::ToInt32('600', 8))
        Get-Content $path -Raw | Should -Not -Match ([regex]::Escape($account.Password))
        & chmod 640 $path
        $err = $null
        Connect-AlexaAccount -Email $account.Email -SessionPath $path -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSessionFileUnsafe*'
        $err[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $err[0].ToString() | Should -Match 'chmod 600|can be read by other users'
    }
}
