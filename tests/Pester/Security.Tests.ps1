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
        $value = (([int]$hash[$offset] -band 0x7f) -shl 24) -bor ([int]$hash[$offset + 1] -shl 16) -bor ([int]$hash[$offset + 2] -shl 8) -bor [int]$hash[$offset + 3]
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
        # RFC 6238's own test vectors (SHA-1, 59 s and 1111111109 s): the codes searched for are the ones typed.
        Get-TotpCode -Key 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' -Step 1 | Should -Be '287082'
        Get-TotpCode -Key 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' -Step 37037036 | Should -Be '081804'
    }

    It 'writes no password, TOTP key or one-time code to any stream, diagnostics file, trace or session file, failures included' {
        $work = New-TestArtifactFolder 'leak'
        $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = Join-Path $work 'diagnostics'
        $env:ALEXAPRIVACY_TRACE_PATH = Join-Path $work 'traces'
        $shortProfile = Join-Path $TestDrive 'short.json'
        $null = New-Item -ItemType Directory $work
        '{ "timeouts": { "navigationSeconds": 4, "actionSeconds": 3 } }' | Set-Content $shortProfile
        $key = New-TestTotpKey
        $wrongKey = New-TestTotpKey
        $password = 'Pw-' + [guid]::NewGuid().ToString('N')
        $wrongPassword = 'Wrong-' + [guid]::NewGuid().ToString('N')
        Add-TestCanary password $wrongPassword
        $account = New-ReplicaAccount $Replica -Password $password -TotpSecret $key -Settings @{ VoiceRecordingReview = $true }
        $securePassword = ConvertTo-TestSecureString $password
        $secureKey = ConvertTo-TestSecureString $key
        $sessionPath = Join-Path $TestDrive 'account.session'
        $started = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        # -Debug alone would make a warning (the override's) ask to continue in this non-interactive run.
        $common = @{ Verbose = $true; Debug = $true; ErrorAction = 'Continue'; WarningAction = 'Continue' }

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

        # Exactly the one-time codes the replica received (right or wrong), not every code of the time window.
        $codes = @((Invoke-ReplicaAdmin $Replica -Path "/__replica/accounts/$($account.Email)/sign-ins").codesReceived)
        $codes.Count | Should -BeGreaterOrEqual 2
        $secrets = $password, $wrongPassword, $key, ($key -replace '\s', ''), $wrongKey, ($wrongKey -replace '\s', '')
        # The session's cookies are a secret too, wherever they are not the saved session itself.
        $cookieValues = @((Get-Content $sessionPath -Raw | ConvertFrom-Json).cookies.value | Where-Object { $_.Length -ge 8 })
        $cookieValues.Count | Should -BeGreaterThan 0
        $hits = @(foreach ($trace in $traces) { Find-Secret -Texts @(Get-SearchableText $trace.FullName) -Secrets $cookieValues -Source $trace.Name })
        $texts = foreach ($record in $streams) {
            $record | Out-String -Width 400
            if ($record -is [System.Management.Automation.ErrorRecord]) {
                $record.Exception.ToString(); $record.ErrorDetails.Message; $record.ErrorDetails.RecommendedAction; $record.ScriptStackTrace
            }
            elseif ($record -is [psobject]) { $record | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue }
        }
        $hits += @(Find-Secret -Texts $texts -Secrets $secrets -Codes $codes -Source 'streams')
        $files = Get-ChildItem $TestDrive, $work -Recurse -File
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

Describe 'Traces' {
    AfterEach { $env:ALEXAPRIVACY_TRACE_PATH = $null }

    It 'keeps no cookie, Cookie or Set-Cookie value in a trace, and writes it 0600 in a 0700 folder' {
        $folder = New-TestArtifactFolder 'cookie-traces'
        $env:ALEXAPRIVACY_TRACE_PATH = $folder
        $account = New-ReplicaAccount $Replica
        $sessionPath = Join-Path $TestDrive 'traced.session'
        $session = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SessionPath $sessionPath
        $null = Get-AlexaDataSetting -Session $session
        Disconnect-AlexaAccount -Session $session
        $env:ALEXAPRIVACY_TRACE_PATH = $null
        $cookies = @((Get-Content $sessionPath -Raw | ConvertFrom-Json).cookies | Where-Object { $_.value.Length -ge 8 })
        $cookies.Count | Should -BeGreaterThan 0
        $traces = @(Get-ChildItem $folder -Filter *.zip)
        $traces.Count | Should -BeGreaterThan 1
        $text = foreach ($trace in $traces) { Get-SearchableText $trace.FullName }
        ($text -match 'Manage Your Alexa Data') | Should -Not -BeNullOrEmpty
        # Counts, not the matching text: a failure must not print the session it found.
        foreach ($cookie in $cookies) { @($text -match [regex]::Escape($cookie.value)).Count | Should -Be 0 -Because "the value of cookie $($cookie.name) is a session" }
        # Headers are kept by name, with their values removed.
        @($text -match '"name":"[Cc]ookie","value":"(?!\(removed\))').Count | Should -Be 0
        @($text -match '"name":"[Ss]et-[Cc]ookie","value":"(?!\(removed\))').Count | Should -Be 0
        @($text -match '"name":"[Cc]ookie","value":"\(removed\)"').Count | Should -BeGreaterThan 0 -Because 'the trace recorded the requests, with their cookies removed'
        if (-not $IsWindows) {
            [int](Get-Item $folder).UnixFileMode | Should -Be ([Convert]::ToInt32('700', 8))
            foreach ($trace in $traces) { [int]$trace.UnixFileMode | Should -Be ([Convert]::ToInt32('600', 8)) }
        }
    }

    # A submit that does not navigate (here the profile names the field itself as its button, as an
    # overlay over the button or a script that swallows the click would): the secret stays in the
    # field, the step times out, and the sign-in is tried again from the page before. Neither the
    # failure path, the retry's navigation, nor the screenshot of the error may record the typed value.
    It 'keeps the <Case> out of every trace part when its submit does not navigate' -ForEach @(
        @{ Case = 'password'; Overlay = '{ "signIn": { "passwordSubmit": "#ap_password" }, "timeouts": { "navigationSeconds": 3, "actionSeconds": 3, "accountSeconds": 45 } }'; Totp = $false }
        @{ Case = 'one-time code'; Overlay = '{ "signIn": { "otpSubmit": "#auth-mfa-otpcode" }, "timeouts": { "navigationSeconds": 3, "actionSeconds": 3, "accountSeconds": 45 } }'; Totp = $true }
    ) {
        $folder = New-TestArtifactFolder 'stuck-submit-traces'
        $env:ALEXAPRIVACY_TRACE_PATH = $folder
        $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = New-TestArtifactFolder 'stuck-submit-diagnostics'
        $profilePath = Join-Path $TestDrive "stuck-submit-$($Totp).json"
        $Overlay | Set-Content $profilePath
        $password = 'Stuck-' + [guid]::NewGuid().ToString('N')
        $key = if ($Totp) { New-TestTotpKey } else { $null }
        $account = New-ReplicaAccount $Replica -Password $password -TotpSecret $key
        $started = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        $err = $null
        $arguments = @{ Email = $account.Email; Password = $account.SecurePassword; BaseUri = $Base; SiteProfile = $profilePath }
        if ($Totp) { $arguments.TotpSecret = ConvertTo-TestSecureString $key }
        $session = Connect-AlexaAccount @arguments -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $ended = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        $env:ALEXAPRIVACY_TRACE_PATH = $null
        $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = $null
        $session | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $signIns = Invoke-ReplicaAdmin $Replica -Path "/__replica/accounts/$($account.Email)/sign-ins"
        @($signIns.codesReceived).Count | Should -Be 0 -Because 'the code was never submitted'
        if (-not $Totp) { $signIns.passwordsReceived | Should -Be 0 -Because 'the password was never submitted' }
        $traces = @(Get-ChildItem $folder -Filter *.zip)
        $traces.Count | Should -BeGreaterThan 2 -Because 'tracing resumed after each typing step and recorded the retry'
        $entries = foreach ($trace in $traces) { Get-SearchableText $trace.FullName }
        $field = if ($Totp) { 'auth-mfa-otpcode' } else { 'ap_password' }
        @($entries -match $field).Count | Should -BeGreaterThan 0 -Because 'the trace recorded the page with the field'
        # Counts only: a failure must not print the secret it found.
        @($entries -match [regex]::Escape($password)).Count | Should -Be 0
        if ($Totp) {
            @($entries -match [regex]::Escape(($key -replace '\s', ''))).Count | Should -Be 0
            # Every code of the run's time window, as a JSON string, an attribute or a form value.
            $codes = foreach ($step in ([math]::Floor($started / 30) - 1)..([math]::Floor($ended / 30) + 1)) { Get-TotpCode -Key $key -Step $step }
            foreach ($code in $codes) { @($entries -match "`"$code`"|'$code'|=$code(?!\d)").Count | Should -Be 0 -Because 'no one-time code typed may be in a trace' }
        }
    }

    It 'saves the trace of a session still open when PowerShell exits, without Disconnect-AlexaAccount' {
        $folder = Join-Path $TestDrive 'exit-traces'
        $account = New-ReplicaAccount $Replica
        $file = Join-Path $TestDrive 'exit-trace.ps1'
        Set-Content $file @'
param($ModulePath, $Base, $Email, $Password, $Folder)
$env:ALEXAPRIVACY_TRACE_PATH = $Folder
Import-Module $ModulePath
$s = Connect-AlexaAccount -Email $Email -Password (ConvertTo-SecureString $Password -AsPlainText -Force) -BaseUri $Base -ErrorAction Stop
$null = Get-AlexaDataSetting -Session $s -ErrorAction Stop
'OPEN'
'@
        $self = Get-Process -Id $PID
        $all = @('-NoProfile', '-NonInteractive', '-File', $file, $ModulePath, $Base, $account.Email, $account.Password, $folder)
        $output = if ($self.ProcessName -eq 'dotnet') { & dotnet (Join-Path $PSHOME 'pwsh.dll') @all 2>&1 } else { & $self.Path @all 2>&1 }
        ($output | Out-String) | Should -Match 'OPEN'
        $traces = @(Get-ChildItem $folder -Filter *.zip)
        $traces.Count | Should -BeGreaterThan 0
        (@($traces | ForEach-Object { Get-SearchableText $_.FullName }) -match 'Manage Your Alexa Data') | Should -Not -BeNullOrEmpty
        if (-not $IsWindows) { foreach ($trace in $traces) { [int]$trace.UnixFileMode | Should -Be ([Convert]::ToInt32('600', 8)) } }
    }
}

Describe 'Errors' {
    It 'keeps the typed password out of the error, its inner exception and Get-Error' {
        $account = New-ReplicaAccount $Replica -Password ('Typed-' + [guid]::NewGuid().ToString('N'))
        # The password field named as the submit button: filling it fails inside Playwright, whose call log quotes the value.
        $profile = Join-Path $TestDrive 'fill-fails.json'
        '{ "signIn": { "passwordInput": "#signInSubmit" }, "timeouts": { "actionSeconds": 3 } }' | Set-Content $profile
        $err = $null
        Get-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SiteProfile $profile -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err.Count | Should -Be 1
        $text = ($err[0].Exception.ToString(), ($err[0] | Get-Error | Out-String -Width 500), ($err[0] | Format-List * -Force | Out-String -Width 500)) -join "`n"
        $text | Should -Not -Match ([regex]::Escape($account.Password))
        $text | Should -Not -Match 'Call log'
    }

    # A row none of whose columns binds a parameter (no Email column): the module's own error, which
    # names the columns and none of the values, in place of PowerShell's binding error whose target is
    # the raw row; the next row is still done.
    It 'reports a row that binds no column as its own error, the password masked, and goes on: <Command>' -ForEach @(
        @{ Command = 'Connect-AlexaAccount'; Extra = @{}; Output = $true }
        @{ Command = 'Get-AlexaDataSetting'; Extra = @{}; Output = $true }
        @{ Command = 'Set-AlexaDataSetting'; Extra = @{ Enabled = $false; Confirm = $false; PassThru = $true }; Output = $true }
        @{ Command = 'Test-AlexaDataSetting'; Extra = @{ Enabled = $true }; Output = $true }
        @{ Command = 'Get-AlexaVoiceHistory'; Extra = @{}; Output = $false }
        @{ Command = 'Export-AlexaVoiceHistory'; Extra = @{ Path = 'TestDrive:/rows.csv' }; Output = $true }
        @{ Command = 'Remove-AlexaVoiceHistory'; Extra = @{ All = $true; WhatIf = $true }; Output = $false }
        @{ Command = 'Test-AlexaPrivacyPolicy'; Extra = @{ Policy = @{ VoiceRecordingReview = $false } }; Output = $true }
        @{ Command = 'Set-AlexaPrivacyPolicy'; Extra = @{ Policy = @{ VoiceRecordingReview = $false }; Confirm = $false }; Output = $true }
    ) {
        $account = New-ReplicaAccount $Replica
        $err = $null
        $rows = [pscustomobject]@{ Mail = 'nobody@example.com'; Pass = 'Row-secret-1234' },
            [pscustomobject]@{ Email = $account.Email; Password = $account.Password }
        $out = $rows | & $Command @Extra -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput,*'
        $err[0].Exception.Message | Should -Match 'the columns Mail, Pass'
        $text = ($err[0].Exception.ToString(), ($err[0].TargetObject | Out-String -Width 500), ($err[0] | Get-Error | Out-String -Width 500),
            ($err[0] | Format-List * -Force | Out-String -Width 500), ($Error | Out-String -Width 500)) -join "`n"
        $text | Should -Not -Match 'Row-secret-1234'
        if ($Output) { @($out).Count | Should -BeGreaterThan 0 }
        if ($Command -eq 'Connect-AlexaAccount') { $out | Disconnect-AlexaAccount }
    }

    It 'refuses a piped hashtable with its own error, saying to pipe a [pscustomobject], and keeps its password out' {
        $err = $null
        $out = @{ Email = 'nobody@example.com'; Password = 'Hash-secret-4242' } |
            Get-AlexaDataSetting -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput,*'
        $err[0].Exception.Message | Should -Match 'hashtable'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'pscustomobject'
        (($err[0] | Format-List * -Force | Out-String -Width 500), ($err[0] | Get-Error | Out-String -Width 500)) -join "`n" | Should -Not -Match 'Hash-secret-4242'
    }

    # A JSON file or a spreadsheet gives a number, not text: it is the password all the same, in any culture.
    It 'signs in with a number in the Password column, taken as culture-invariant text, and leaves nothing in $Error' {
        $account = New-ReplicaAccount $Replica -Password '12345678.5'
        $saved = [cultureinfo]::CurrentCulture
        $Error.Clear()
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            $out = [pscustomobject]@{ Email = $account.Email; Password = [double]12345678.5 } |
                Get-AlexaDataSetting -BaseUri $Base -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        }
        finally { [cultureinfo]::CurrentCulture = $saved }
        @($out).Count | Should -BeGreaterThan 0
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 1
        $Error.Count | Should -Be 0
    }

    It 'refuses <Case> with its own error, the row masked and no prompt, and goes on with the next row' -ForEach @(
        @{ Case = 'an array in the Password column'; Row = @{ Password = @('Array-secret-31', 'b') }; Column = 'Password'; Secret = 'Array-secret-31' }
        @{ Case = 'an object in the TotpSecret column'; Row = @{ Password = 'Pass-secret-32'; TotpSecret = [pscustomobject]@{ Key = 'Totp-secret-33' } }; Column = 'TotpSecret'; Secret = 'Pass-secret-32|Totp-secret-33' }
        @{ Case = 'text in the Credential column'; Row = @{ Credential = 'Cred-secret-34' }; Column = 'Credential'; Secret = 'Cred-secret-34' }
    ) {
        $good = New-ReplicaAccount $Replica
        $bad = [ordered]@{ Email = 'numbers@example.com' }
        foreach ($pair in $Row.GetEnumerator()) { $bad[$pair.Key] = $pair.Value }
        $Error.Clear()
        $err = $null
        $out = [pscustomobject]$bad, [pscustomobject]@{ Email = $good.Email; Password = $good.Password } |
            Get-AlexaDataSetting -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        @($out).Count | Should -BeGreaterThan 0 -Because 'the next row is still done'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput,*'
        $err[0].Exception.Message | Should -Match "The $Column column holds"
        $err[0].TargetObject.Email | Should -Be 'numbers@example.com'
        (Get-ReplicaAccount $Replica $good.Email).signInCount | Should -Be 1
        $text = (($Error | Out-String -Width 500), ($Error | ForEach-Object { $_ | Format-List * -Force | Out-String -Width 500; $_.TargetObject | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue }),
            ($err[0] | Get-Error | Out-String -Width 500)) -join "`n"
        $text | Should -Not -Match $Secret
        $text | Should -Not -Match 'NonInteractive|prompt' -Because 'nothing asks for a password'
    }

    It 'refuses a piped plain string with its own error, without repeating the string' {
        $err = $null
        # In a variable: Get-Error shows the command line itself, which is the test's, not the module's.
        $piped = 'String-secret-' + '7373'
        $out = $piped | Get-AlexaDataSetting -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput,*'
        $err[0].Exception.Message | Should -Match 'A piped string gave Get-AlexaDataSetting none of its parameters'
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-Email'
        (($err[0] | Format-List * -Force | Out-String -Width 500), ($err[0] | Get-Error | Out-String -Width 500)) -join "`n" | Should -Not -Match 'String-secret-7373'
    }

    It 'names the row that has no email by its number, and a row target holds only the columns the row gave' {
        $good = New-ReplicaAccount $Replica
        $err = $null
        $rows = @(
            [pscustomobject]@{ Email = $good.Email; Password = $good.Password }
            [pscustomobject]@{ Email = ''; Password = 'x' }
        )
        $null = $rows | Set-AlexaDataSetting -Enabled $false -BaseUri $Base -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput,*'
        $err[0].Exception.Message | Should -Match '^Row 2 of the input has no email address'
        # -Enabled came from the command line, not from the row: the target shows the row's own columns.
        $err[0].TargetObject.PSObject.Properties.Name | Should -Not -Contain 'Enabled'
        $err[0].TargetObject.PSObject.Properties.Name | Should -Contain 'Password'
    }

    It 'refuses a row of account columns with -Session, instead of binding nothing or working on the session' {
        $account = New-ReplicaAccount $Replica
        $session = Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base
        try {
            $err = $null
            $out = [pscustomobject]@{ Email = 'other@example.com'; Password = 'Row-secret-5678'; Enabled = 'false' } |
                Set-AlexaDataSetting -Session $session -Confirm:$false -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaInvalidInput,*'
            $err[0].Exception.Message | Should -Match 'Email, Password, Enabled'
            ($err[0] | Format-List * -Force | Out-String -Width 500) | Should -Not -Match 'Row-secret-5678'
            (Get-ReplicaAccount $Replica $account.Email).settings.VoiceRecordingReview | Should -BeTrue
        }
        finally { Disconnect-AlexaAccount -Session $session }
    }
}

Describe 'Site profile overrides' {
    It 'refuses an override that changes where credentials go: <Case>' -ForEach @(
        @{ Case = 'a marketplace host'; Json = '{ "marketplaces": { "amazon.com": { "host": "evil.example" } } }'; Field = 'marketplaces.amazon.com.host' }
        @{ Case = 'a new marketplace'; Json = '{ "marketplaces": { "amazon.nl": { "host": "www.amazon.nl", "cookieSuffix": "acbnl", "language": "nl_NL" } } }'; Field = 'marketplaces.amazon.nl.host' }
        @{ Case = 'a path to another host'; Json = '{ "paths": { "signIn": "//evil.example/ap/signin" } }'; Field = 'paths.signIn' }
        @{ Case = 'an absolute URL'; Json = '{ "paths": { "hub": "https://evil.example/home" } }'; Field = 'paths.hub' }
    ) {
        $path = Join-Path $TestDrive 'host-override.json'
        $Json | Set-Content $path
        $account = New-ReplicaAccount $Replica
        $thrown = $null
        try { Get-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -SiteProfile $path -ErrorAction Stop } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'AlexaSiteProfileInvalid*'
        $thrown.Exception.Message | Should -Match ([regex]::Escape($Field))
        (Get-ReplicaAccount $Replica $account.Email).signInCount | Should -Be 0
    }

    It 'warns when an override is in force, and keeps a copied host that is unchanged' {
        $path = Join-Path $TestDrive 'same-host.json'
        '{ "marketplaces": { "amazon.com": { "host": "www.amazon.com" } }, "timeouts": { "actionSeconds": 20 } }' | Set-Content $path
        $account = New-ReplicaAccount $Replica
        $warnings = $null
        $settings = Get-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SiteProfile $path -WarningVariable warnings -WarningAction SilentlyContinue
        $settings | Should -Not -BeNullOrEmpty
        ($warnings -match 'site profile override') | Should -Not -BeNullOrEmpty
    }
}

Describe 'Files' {
    AfterEach { $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = $null; $env:XDG_CACHE_HOME = $script:SavedCache }
    BeforeAll { $script:SavedCache = $env:XDG_CACHE_HOME }

    It 'replaces a saved session in one step, owner-only, and refuses one that another user owns' -Skip:$IsWindows {
        $account = New-ReplicaAccount $Replica
        Connect-AlexaAccount -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SessionPath (Join-Path $TestDrive 'fresh.session') | Disconnect-AlexaAccount
        $fresh = Join-Path $TestDrive 'fresh.session'
        [int](Get-Item $fresh).UnixFileMode | Should -Be ([Convert]::ToInt32('600', 8))
        @(Get-ChildItem $TestDrive -Force -Filter '.fresh.session*').Count | Should -Be 0 -Because 'no temporary file is left behind'
        if ((& id -u) -eq '0') {
            # Another user's file, even owner-only, is not loaded: it could have been planted.
            Copy-Item $fresh (Join-Path $TestDrive 'planted.session')
            & chown 65534 (Join-Path $TestDrive 'planted.session')
            $err = $null
            Connect-AlexaAccount -Email $account.Email -SessionPath (Join-Path $TestDrive 'planted.session') -BaseUri $Base -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AlexaSessionFileUnsafe*'
            $err[0].ToString() | Should -Match 'another user'
        }
    }

    It 'saves diagnostics owner-only with unguessable names in a 0700 folder of the user, and refuses a planted link' -Skip:$IsWindows {
        $env:ALEXAPRIVACY_DIAGNOSTICS_PATH = $null
        $env:XDG_CACHE_HOME = Join-Path $TestDrive 'cache'
        $profile = Join-Path $TestDrive 'short-nav.json'
        '{ "timeouts": { "navigationSeconds": 3, "actionSeconds": 3 } }' | Set-Content $profile
        $account = New-ReplicaAccount $Replica
        Set-ReplicaFault $Replica @{ hang = @{ pathPrefix = '/alexa-privacy/apd/myad/settings-data' } }
        try {
            $err = $null
            Get-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SiteProfile $profile -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        }
        finally { Set-ReplicaFault $Replica @{} }
        $folder = Join-Path $env:XDG_CACHE_HOME 'AlexaPrivacy/diagnostics'
        [int](Get-Item $folder).UnixFileMode | Should -Be ([Convert]::ToInt32('700', 8))
        [int](Get-Item (Split-Path $folder)).UnixFileMode | Should -Be ([Convert]::ToInt32('700', 8))
        $files = @(Get-ChildItem $folder -File)
        $files.Count | Should -BeGreaterThan 0
        foreach ($file in $files) {
            [int]$file.UnixFileMode | Should -Be ([Convert]::ToInt32('600', 8))
            $file.BaseName | Should -Match '-[A-Za-z0-9_-]{12}$' -Because 'a random part makes the name unguessable'
        }
        # A link planted where the folder should be is refused: nothing is written through it.
        $elsewhere = New-Item -ItemType Directory (Join-Path $TestDrive 'elsewhere')
        $env:XDG_CACHE_HOME = Join-Path $TestDrive 'cache2'
        $null = New-Item -ItemType Directory (Join-Path $env:XDG_CACHE_HOME 'AlexaPrivacy') -Force
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $env:XDG_CACHE_HOME 'AlexaPrivacy/diagnostics') -Target $elsewhere.FullName
        Set-ReplicaFault $Replica @{ hang = @{ pathPrefix = '/alexa-privacy/apd/myad/settings-data' } }
        try {
            Get-AlexaDataSetting -Email $account.Email -Password $account.SecurePassword -BaseUri $Base -SiteProfile $profile -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        }
        finally { Set-ReplicaFault $Replica @{} }
        @(Get-ChildItem $elsewhere.FullName).Count | Should -Be 0
    }
}
